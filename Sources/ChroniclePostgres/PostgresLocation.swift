import Foundation

/// Where a PostgreSQL store lives: a server, a database, and the PostgreSQL schema (namespace)
/// that holds the store's tables, read from a URL:
///
///     postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME&sslmode=disable|prefer|require]
///     postgres://USER@/DATABASE?host=/run/postgresql          (a unix socket's folder, as libpq says)
///
/// `postgresql://` is accepted too. The port defaults to 5432, the schema to `chronicle`, TLS to
/// `prefer` over TCP (none over a unix socket). Several stores can share a database under
/// different schemas.
public struct PostgresLocation: Hashable, Sendable, CustomStringConvertible {
    /// The server's host name or address, for TCP; `nil` with a unix socket.
    public var host: String?
    /// The server's port: for TCP, and the socket file's number with a unix socket.
    public var port: Int
    /// The folder of the server's unix socket (its file is `.s.PGSQL.PORT` in it); `nil` for TCP.
    public var socketFolder: String?
    /// The user to connect as.
    public var user: String
    /// The user's password, when the server asks for one.
    public var password: String?
    /// The database.
    public var database: String
    /// The PostgreSQL schema that holds the store's tables.
    public var schema: String
    /// Whether TCP connections use TLS.
    public var tls: TLSMode

    /// Whether connections over TCP use TLS.
    public enum TLSMode: String, Hashable, Sendable {
        /// Never.
        case disable
        /// When the server offers it.
        case prefer
        /// Always; refuse a server without it.
        case require
    }

    /// Whether `text` is meant as a PostgreSQL URL rather than a folder: it starts with
    /// `postgres://` or `postgresql://`. A folder of that name must be written `./postgres://…`.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads a location from a URL.
    /// - Throws: ``PostgresLocationError`` saying what is wrong with it.
    public init(url text: String) throws(PostgresLocationError) {
        guard Self.isURL(text) else {
            throw PostgresLocationError(url: text, reason: "it does not start with postgres:// or postgresql://")
        }
        guard let components = URLComponents(string: text) else {
            throw PostgresLocationError(url: text, reason: "it is not a valid URL")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard query[item.name] == nil else { throw PostgresLocationError(url: text, reason: "'\(item.name)' is given twice") }
            query[item.name] = item.value ?? ""
        }
        for name in query.keys.sorted() where !["schema", "sslmode", "host"].contains(name) {
            throw PostgresLocationError(url: text, reason: "unknown parameter '\(name)' (known: schema, sslmode, host)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw PostgresLocationError(url: text, reason: "it names no user (postgres://USER@HOST/DATABASE)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresLocationError(url: text, reason: "it names no database (postgres://USER@HOST/DATABASE)")
        }
        let socket = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        if let given = query["host"], socket == nil {
            throw PostgresLocationError(url: text, reason: "host=\(given) must be an absolute folder (a unix socket's), or give the host before the path")
        }
        let host = components.host.flatMap { $0.isEmpty ? nil : $0 }
        if host == nil, socket == nil {
            throw PostgresLocationError(url: text, reason: "it names no host (postgres://USER@HOST/DATABASE, or ?host=/socket/folder)")
        }
        if host != nil, socket != nil {
            throw PostgresLocationError(url: text, reason: "it names both a host and a socket folder")
        }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw PostgresLocationError(url: text, reason: "port \(port) is out of range") }
        let schema = query["schema"] ?? "chronicle"
        guard Self.isPlainIdentifier(schema) else {
            throw PostgresLocationError(url: text, reason: "schema '\(schema)' must be lowercase letters, digits and _ (at most 50), not starting with a digit")
        }
        let tls: TLSMode
        switch query["sslmode"] {
        case nil: tls = .prefer
        case let mode?:
            guard let known = TLSMode(rawValue: mode) else {
                throw PostgresLocationError(url: text, reason: "sslmode '\(mode)' is not one of disable, prefer, require")
            }
            tls = known
        }
        self.init(host: host, port: port, socketFolder: socket, user: user, password: components.password,
                  database: database, schema: schema, tls: tls)
    }

    /// Creates a location from its parts.
    public init(host: String?, port: Int = 5432, socketFolder: String? = nil, user: String, password: String? = nil,
                database: String, schema: String = "chronicle", tls: TLSMode = .prefer) {
        self.host = host
        self.port = port
        self.socketFolder = socketFolder
        self.user = user
        self.password = password
        self.database = database
        self.schema = schema
        self.tls = tls
    }

    /// The same location with another schema: another store in the same database.
    public func withSchema(_ schema: String) -> PostgresLocation {
        var copy = self
        copy.schema = schema
        return copy
    }

    /// The URL without its password: what messages show.
    public var description: String {
        var text = "postgres://\(user)@\(host ?? "")"
        if host != nil { text += ":\(port)" }
        text += "/\(database)"
        var query: [String] = []
        if let socketFolder { query.append("host=\(socketFolder)") }
        if schema != "chronicle" { query.append("schema=\(schema)") }
        if tls != .prefer { query.append("sslmode=\(tls.rawValue)") }
        if socketFolder != nil, port != 5432 { text = text.replacingOccurrences(of: "@/", with: "@:\(port)/") }
        return query.isEmpty ? text : text + "?" + query.joined(separator: "&")
    }

    /// Whether `name` can name a schema without quoting: `[a-z_][a-z0-9_]*`, short enough that
    /// the store's own names built on it stay within PostgreSQL's 63 bytes.
    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 50 else { return false }
        guard first == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }
}

/// A PostgreSQL URL that cannot be used, and why.
public struct PostgresLocationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The URL as given (its password is not shown in ``description``).
    public var url: String
    /// What is wrong with it.
    public var reason: String

    /// Creates an error.
    public init(url: String, reason: String) {
        self.url = url
        self.reason = reason
    }

    public var description: String {
        var shown = url
        if let components = URLComponents(string: url), let password = components.password, !password.isEmpty {
            shown = url.replacingOccurrences(of: ":" + password + "@", with: ":***@")
        }
        return "\(shown): not a usable PostgreSQL URL: \(reason)"
    }
}
