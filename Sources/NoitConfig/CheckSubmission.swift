import CLibXML2
import Foundation

/// A check as a client submits it to `PUT /checks/set/<uuid>` or `POST /checks/test`:
/// `<check><attributes><target>..</target>..</attributes><config><key>..</key></config></check>`,
/// or the same as JSON, `{"attributes": {"target": ".."}, "config": {"key": ".."}}`.
/// Only the shape is checked here; values are validated by resolving the edited config.
public struct CheckSubmission: Sendable, Equatable {
    public var attributes: [ConfigEntry]
    public var config: [ConfigEntry]

    /// The attributes a client may set; the uuid comes from the URL.
    public static let attributeNames = ["name", "module", "target", "period", "timeout", "filterset", "disable", "seq"]

    public init(attributes: [ConfigEntry], config: [ConfigEntry]) {
        self.attributes = attributes
        self.config = config
    }

    public func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    /// Parses the XML form. Entities are not loaded from anywhere and the network is never
    /// touched, whatever the document declares.
    public static func parse(xml bytes: [UInt8]) throws(ConfigEditError) -> CheckSubmission {
        _ = LibXML.ready
        guard !bytes.isEmpty else { throw ConfigEditError(.invalid, "empty body: expected <check>") }
        guard bytes.count < 4 * 1024 * 1024 else { throw ConfigEditError(.invalid, "body too large") }
        guard let context = xmlNewParserCtxt() else { throw ConfigEditError(.invalid, "cannot allocate an XML parser") }
        defer { xmlFreeParserCtxt(context) }
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), "body", nil, LibXML.parseOptions)
            }
        }
        guard let parsed else {
            let message = xmlCtxtGetLastError(context).flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "not well-formed"
            throw ConfigEditError(.invalid, "malformed XML: " + message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        defer { xmlFreeDoc(parsed) }
        guard let rootNode = xmlDocGetRootElement(parsed) else { throw ConfigEditError(.invalid, "malformed XML: no root element") }
        let root = ConfigElement(node: rootNode)
        guard root.name == "check" else { throw ConfigEditError(.invalid, "root element must be <check>, not <\(root.name)>") }
        var submission = CheckSubmission(attributes: [], config: [])
        for child in root.children {
            switch child.name {
            case "attributes":
                for attribute in child.children {
                    guard attributeNames.contains(attribute.name) else {
                        throw ConfigEditError(.invalid, "unknown attribute '\(attribute.name)' (allowed: \(attributeNames.joined(separator: ", ")))")
                    }
                    guard !submission.attributes.contains(where: { $0.name == attribute.name }) else {
                        throw ConfigEditError(.invalid, "attribute '\(attribute.name)' given twice")
                    }
                    submission.attributes.append(ConfigEntry(name: attribute.name, value: attribute.text))
                }
            case "config":
                if let inherit = child.attribute("inherit") {
                    submission.config.append(ConfigEntry(name: "@inherit", value: inherit))
                }
                for key in child.children {
                    guard !submission.config.contains(where: { $0.name == key.name }) else {
                        throw ConfigEditError(.invalid, "config key '\(key.name)' given twice")
                    }
                    submission.config.append(ConfigEntry(name: key.name, value: key.text))
                }
            default:
                throw ConfigEditError(.invalid, "unexpected element <\(child.name)> in <check>; expected <attributes> and <config>")
            }
        }
        return submission
    }

    /// Parses the JSON form; values may be strings, numbers or booleans.
    public static func parse(json bytes: [UInt8]) throws(ConfigEditError) -> CheckSubmission {
        let body: JSONBody
        do {
            body = try JSONDecoder().decode(JSONBody.self, from: Data(bytes))
        } catch let error as UnexpectedField {
            throw ConfigEditError(.invalid, "unexpected field '\(error.name)'; expected \"attributes\" and \"config\"")
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw ConfigEditError(.invalid, "malformed JSON")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw ConfigEditError(.invalid, field.isEmpty ? "expected a JSON object" : "'\(field)' must be a string, number or boolean")
        } catch {
            throw ConfigEditError(.invalid, "malformed JSON")
        }
        var submission = CheckSubmission(attributes: [], config: [])
        for (name, value) in (body.attributes ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard attributeNames.contains(name) else {
                throw ConfigEditError(.invalid, "unknown attribute '\(name)' (allowed: \(attributeNames.joined(separator: ", ")))")
            }
            submission.attributes.append(ConfigEntry(name: name, value: value.text))
        }
        for (key, value) in (body.config ?? [:]).sorted(by: { $0.key < $1.key }) {
            submission.config.append(ConfigEntry(name: key, value: value.text))
        }
        return submission
    }

    private struct JSONBody: Decodable {
        var attributes: [String: JSONScalar]?
        var config: [String: JSONScalar]?

        private enum CodingKeys: String, CodingKey, CaseIterable { case attributes, config }

        init(from decoder: any Decoder) throws {
            // Unknown top-level fields are refused, so a typo such as "attributs" is not
            // silently a check without attributes.
            let any = try decoder.container(keyedBy: AnyKey.self)
            for key in any.allKeys where CodingKeys(rawValue: key.stringValue) == nil {
                throw UnexpectedField(name: key.stringValue)
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            attributes = try container.decodeIfPresent([String: JSONScalar].self, forKey: .attributes)
            config = try container.decodeIfPresent([String: JSONScalar].self, forKey: .config)
        }
    }

    private struct UnexpectedField: Error {
        var name: String
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// A JSON string, integer, other number or boolean, kept as the text a config holds.
    private struct JSONScalar: Decodable {
        var text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flag = try? container.decode(Bool.self) {
                text = flag ? "true" : "false"
            } else if let integer = try? container.decode(Int64.self) {
                text = String(integer)
            } else if let number = try? container.decode(Double.self) {
                text = String(number)
            } else {
                text = try container.decode(String.self)
            }
        }
    }
}
