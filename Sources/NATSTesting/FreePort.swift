import Foundation

/// A loopback TCP port nobody listens on right now.
public enum FreePort {
    public static func find() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw TestNATSServerError(message: "socket() failed: \(errno)") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddr in
                bind(socketFD, sockaddr, length) == 0 && getsockname(socketFD, sockaddr, &length) == 0
            }
        }
        guard bound else { throw TestNATSServerError(message: "bind() failed: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
