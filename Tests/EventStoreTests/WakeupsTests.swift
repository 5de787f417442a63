@testable import EventStore
import Testing

@Suite struct WakeupsTests {
    @Test func aWakeUpAlreadyPast_returnsAtOnce() async {
        let wakeups = Wakeups()
        let seen = wakeups.generation
        wakeups.wakeAll()
        let start = ContinuousClock.now
        // Far below the timeout, with room for a suite that keeps both cores busy.
        #expect(await wakeups.wait(after: seen, timeout: .seconds(120)) == seen + 1)
        #expect(start.duration(to: .now) < .seconds(60))
    }

    @Test func aWaiter_returnsOnTheNextWakeUp() async {
        let wakeups = Wakeups()
        let seen = wakeups.generation
        await withTaskGroup(of: UInt64.self) { group in
            group.addTask { await wakeups.wait(after: seen, timeout: .seconds(30)) }
            // Wake until the waiter has returned (it may not be registered yet).
            group.addTask {
                while !Task.isCancelled {
                    wakeups.wakeAll()
                    try? await Task.sleep(for: .milliseconds(20))
                }
                return 0
            }
            let returned = await group.next()
            group.cancelAll()
            #expect((returned ?? 0) > seen)
        }
    }

    @Test func withoutAWakeUp_itReturnsAfterTheTimeout_withTheSameCount() async {
        let wakeups = Wakeups()
        let seen = wakeups.generation
        let start = ContinuousClock.now
        #expect(await wakeups.wait(after: seen, timeout: .milliseconds(200)) == seen)
        #expect(start.duration(to: .now) >= .milliseconds(200))
    }

    @Test func aCancelledWaiter_returnsPromptly() async {
        let wakeups = Wakeups()
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            group.addTask { _ = await wakeups.wait(after: wakeups.generation, timeout: .seconds(120)) }
            try? await Task.sleep(for: .milliseconds(50))
            group.cancelAll()
        }
        #expect(start.duration(to: .now) < .seconds(60))
    }
}
