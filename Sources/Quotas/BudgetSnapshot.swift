import Domain
import Foundation

/// How a budget's state is saved in a snapshot: JSON of ``BudgetState``. Bump ``kind``
/// whenever `BudgetState` changes shape; older snapshots are then ignored.
enum BudgetSnapshot {
    static let kind = "Budget/1"

    static func encode(_ state: BudgetState) throws -> Data {
        try JSONEncoder().encode(state)
    }

    static func decode(_ data: Data) throws -> BudgetState {
        try JSONDecoder().decode(BudgetState.self, from: data)
    }
}
