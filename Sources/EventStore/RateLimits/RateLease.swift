/// An upstream call's places under limits on requests at once, to end when it does not go ahead.
public struct RateLease: Sendable {
    let tenant: String
    let request: String
    /// The call's channel.
    let call: String
}
