/// Series entries of a batch as parallel binary arrays (check, name, type, first, last), the
/// shape both the catalogue and the rollup queue take them in through `unnest`.
struct SeriesColumns {
    var checks = PostgresBinaryArray(of: .uuid)
    var names = PostgresBinaryArray(of: .text)
    var types = PostgresBinaryArray(of: .text)
    var firsts = PostgresBinaryArray(of: .timestamptz)
    var lasts = PostgresBinaryArray(of: .timestamptz)

    init(_ entries: [StagedRecords.SeriesEntry]) {
        for entry in entries {
            checks.append(entry.check)
            names.append(entry.name)
            types.append(String(entry.type))
            firsts.append(millisecondsSinceEpoch: entry.first)
            lasts.append(millisecondsSinceEpoch: entry.last)
        }
    }
}
