/// The Mustache templates `chronicle generate` renders, embedded into the tool at build time so
/// that editing one rebuilds the tool and regenerates code.
public enum ChronicleTemplates {
    /// Every template's text, by name (the file name without `.mustache`).
    public static let all: [String: String] = [
        "schema-file": String(decoding: PackageResources.schema_file_mustache, as: UTF8.self),
        "module-file": String(decoding: PackageResources.module_file_mustache, as: UTF8.self),
        "type": String(decoding: PackageResources.type_mustache, as: UTF8.self),
        "aggregate": String(decoding: PackageResources.aggregate_mustache, as: UTF8.self),
        "event": String(decoding: PackageResources.event_mustache, as: UTF8.self),
        "command": String(decoding: PackageResources.command_mustache, as: UTF8.self),
        "module-command": String(decoding: PackageResources.module_command_mustache, as: UTF8.self),
        "view": String(decoding: PackageResources.view_mustache, as: UTF8.self),
    ]
}
