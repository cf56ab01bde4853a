import ConvergeStore
import Foundation

/// A logged-in user's session: an unguessable token in an HttpOnly cookie, and the CSRF token that
/// every state-changing request must carry back.
struct ConsoleSession: Sendable {
    let token: String
    let user: String
    let role: ConsoleRole
    let csrf: String
    var expires: Date
}

/// Sessions in memory: a restart logs everyone out. Bounded in number and in age.
actor SessionStore {
    static let maxSessions = 10_000
    static let lifetime: TimeInterval = 12 * 3600

    private var sessions: [String: ConsoleSession] = [:]

    func create(user: String, role: ConsoleRole, now: Date = Date()) -> ConsoleSession {
        if sessions.count >= Self.maxSessions { evict(now: now) }
        let session = ConsoleSession(
            token: Self.randomToken(), user: user, role: role, csrf: Self.randomToken(),
            expires: now.addingTimeInterval(Self.lifetime))
        sessions[session.token] = session
        return session
    }

    func session(token: String, now: Date = Date()) -> ConsoleSession? {
        guard let session = sessions[token] else { return nil }
        guard session.expires > now else {
            sessions[token] = nil
            return nil
        }
        return session
    }

    func remove(token: String) { sessions[token] = nil }

    /// Ends every session of `user` (removed, or password changed).
    func remove(user: String) { sessions = sessions.filter { $0.value.user != user } }

    private func evict(now: Date) {
        sessions = sessions.filter { $0.value.expires > now }
        if sessions.count >= Self.maxSessions, let oldest = sessions.min(by: { $0.value.expires < $1.value.expires }) {
            sessions[oldest.key] = nil
        }
    }

    /// 32 bytes from the system's generator, as hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        var out = ""
        for _ in 0..<4 {
            let word = generator.next() as UInt64
            out += String(word, radix: 16).leftPadded(to: 16)
        }
        return out
    }

    /// Compares two secrets in time that depends only on their lengths.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
