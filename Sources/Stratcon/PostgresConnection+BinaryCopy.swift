import Logging
import NIOCore
import PostgresNIO

extension PostgresConnection {
    /// `COPY table (columns) FROM STDIN WITH (FORMAT binary)`, sending `rows` framed by the
    /// binary header and trailer.
    ///
    /// PostgresNIO's `copyFrom` only builds text-format statements, but it splices the column
    /// names into its statement as given and sends the data as it is written, whatever the
    /// format. So the format clause rides on the last column name, and what PostgresNIO
    /// appends after it is commented out. Table and columns must therefore be constants of this
    /// module, never input. `BinaryCopyTests` fails should a PostgresNIO release change this.
    func copyBinary(_ rows: BinaryCopyRows, into table: String, columns: [String], logger: Logger) async throws {
        precondition(!columns.isEmpty, "a binary COPY names its columns")
        var spliced = columns
        spliced[spliced.count - 1] += #"") FROM STDIN WITH (FORMAT binary) --"#
        try await copyFrom(table: table, columns: spliced, logger: logger) { writer in
            try await writer.write(BinaryCopyRows.header)
            try await writer.write(rows.tuples)
            try await writer.write(BinaryCopyRows.trailer)
        }
    }
}
