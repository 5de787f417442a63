import Foundation

/// Where an upstream key's secret is: sealed by the server (AES-GCM, base64), or a
/// reference the gateway resolves itself (`env:OPENAI_KEY`, a vault path …). Never plain.
public enum ChannelSecret: Sendable, Equatable {
    case sealed(String)
    case reference(String)
}
