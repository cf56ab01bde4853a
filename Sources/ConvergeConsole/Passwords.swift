import HummingbirdBcrypt
import NIOPosix

/// bcrypt on the thread pool, never on an event loop: one check costs a noticeable fraction of a
/// second by design.
public enum Passwords {
    public static let minLength = 10
    public static let maxLength = 72  // bcrypt reads no further

    public static func hash(_ password: String, cost: UInt8 = 12) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// With no hash (no such user), checks against a decoy so that costs the same time; false then.
    public static func verify(_ password: String, hash: String?) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash ?? decoy) && hash != nil }
    }

    /// Why a new password is refused, or nil when it is acceptable.
    public static func problem(_ password: String) -> String? {
        if password.count < minLength { return "a password needs at least \(minLength) characters" }
        if password.utf8.count > maxLength { return "a password may have at most \(maxLength) bytes" }
        return nil
    }

    /// Checked against when the user does not exist, so a missing user costs the same time.
    /// Computed once, on the thread pool, from a random secret nobody knows.
    static let decoy = Bcrypt.hash(SessionStore.randomToken(), cost: 12)
}
