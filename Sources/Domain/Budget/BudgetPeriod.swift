import Foundation

/// How a budget's windows are cut: calendar days, weeks (from Monday) or months in the
/// budget's time zone, or fixed windows of `seconds` counted from the budget's anchor.
public enum BudgetPeriod: Sendable, Hashable, Codable {
    case day
    case week
    case month
    case fixed(seconds: Int64)

    /// The shortest fixed window: one minute.
    public static let minimumFixedSeconds: Int64 = 60
    /// The longest fixed window: 366 days.
    public static let maximumFixedSeconds: Int64 = 366 * 86_400
}

/// One window of a budget: `[start, end)`.
public struct BudgetWindow: Sendable, Hashable, Codable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    public func contains(_ instant: Date) -> Bool { start <= instant && instant < end }
}

extension BudgetPeriod {
    /// The window that holds `instant`, on calendar boundaries of `timeZone`; a fixed
    /// period counts whole windows from `anchor` (earlier instants count backwards).
    public func window(containing instant: Date, timeZone: TimeZone, anchor: Date) -> BudgetWindow {
        switch self {
        case .day: calendarWindow(.day, instant, timeZone)
        case .week: calendarWindow(.weekOfYear, instant, timeZone)
        case .month: calendarWindow(.month, instant, timeZone)
        case .fixed(let seconds): Self.fixedWindow(seconds: seconds, instant: instant, anchor: anchor)
        }
    }

    private func calendarWindow(_ component: Calendar.Component, _ instant: Date, _ timeZone: TimeZone) -> BudgetWindow {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        guard let interval = calendar.dateInterval(of: component, for: instant) else {
            return BudgetWindow(start: instant, end: instant.addingTimeInterval(86_400))
        }
        return BudgetWindow(start: interval.start, end: interval.end)
    }

    private static func fixedWindow(seconds: Int64, instant: Date, anchor: Date) -> BudgetWindow {
        let length = Double(max(seconds, minimumFixedSeconds))
        let index = (instant.timeIntervalSince(anchor) / length).rounded(.down)
        let start = anchor.addingTimeInterval(index * length)
        return BudgetWindow(start: start, end: start.addingTimeInterval(length))
    }
}
