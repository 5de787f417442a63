/// Myers' comparison of two sequences of line classes as xdiff runs it: the middle snake
/// found from both ends (diagonals scanned high to low; the forward pass prefers the
/// diagonal above on ties), a cost cut-off past which the furthest-reaching path is taken,
/// and, on large inputs, a heuristic that follows long snakes. Marks what changed.
struct MyersCompare {
    let a: [Int]
    let b: [Int]
    private(set) var changedA: [Bool]
    private(set) var changedB: [Bool]
    /// The cost past which a split takes the furthest path instead of the best.
    private let maximumCost: Int
    private static let snakeLength = 20
    private static let heuristicMinimumCost = 256
    private static let heuristicFactor = 4

    /// Furthest reaching x per diagonal, forwards and backwards (diagonal d at `d + offset`).
    private var forward: [Int]
    private var backward: [Int]
    private let offset: Int

    init(a: [Int], b: [Int]) {
        self.a = a
        self.b = b
        changedA = [Bool](repeating: false, count: a.count)
        changedB = [Bool](repeating: false, count: b.count)
        maximumCost = max(256, DiffRun.roughSquareRoot(a.count + b.count + 3))
        let diagonals = a.count + b.count + 3
        forward = [Int](repeating: 0, count: diagonals)
        backward = [Int](repeating: 0, count: diagonals)
        offset = b.count + 1
    }

    private struct Box {
        var lowA: Int, highA: Int, lowB: Int, highB: Int
        var needMinimal: Bool
    }

    private struct Split {
        let x: Int, y: Int
        let minimalLow: Bool, minimalHigh: Bool
    }

    mutating func run() {
        var boxes = [Box(lowA: 0, highA: a.count, lowB: 0, highB: b.count, needMinimal: false)]
        while var box = boxes.popLast() {
            while box.lowA < box.highA, box.lowB < box.highB, a[box.lowA] == b[box.lowB] {
                box.lowA += 1
                box.lowB += 1
            }
            while box.lowA < box.highA, box.lowB < box.highB, a[box.highA - 1] == b[box.highB - 1] {
                box.highA -= 1
                box.highB -= 1
            }
            if box.lowA == box.highA {
                for index in box.lowB..<box.highB { changedB[index] = true }
            } else if box.lowB == box.highB {
                for index in box.lowA..<box.highA { changedA[index] = true }
            } else {
                let split = self.split(box)
                boxes.append(Box(lowA: split.x, highA: box.highA, lowB: split.y, highB: box.highB, needMinimal: split.minimalHigh))
                boxes.append(Box(lowA: box.lowA, highA: split.x, lowB: box.lowB, highB: split.y, needMinimal: split.minimalLow))
            }
        }
    }

    private func f(_ d: Int) -> Int { forward[d + offset] }
    private func k(_ d: Int) -> Int { backward[d + offset] }

    private mutating func split(_ box: Box) -> Split {
        let (off1, lim1, off2, lim2) = (box.lowA, box.highA, box.lowB, box.highB)
        let dmin = off1 - lim2, dmax = lim1 - off2
        let fmid = off1 - off2, bmid = lim1 - lim2
        let odd = (fmid - bmid) & 1 != 0
        var fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid
        forward[fmid + offset] = off1
        backward[bmid + offset] = lim1
        var cost = 1
        while true {
            var gotSnake = false
            if fmin > dmin { fmin -= 1; forward[fmin - 1 + offset] = -1 } else { fmin += 1 }
            if fmax < dmax { fmax += 1; forward[fmax + 1 + offset] = -1 } else { fmax -= 1 }
            var d = fmax
            while d >= fmin {
                var x = f(d - 1) >= f(d + 1) ? f(d - 1) + 1 : f(d + 1)
                let start = x
                var y = x - d
                while x < lim1, y < lim2, a[x] == b[y] { x += 1; y += 1 }
                if x - start > Self.snakeLength { gotSnake = true }
                forward[d + offset] = x
                if odd, bmin <= d, d <= bmax, k(d) <= x { return Split(x: x, y: y, minimalLow: true, minimalHigh: true) }
                d -= 2
            }
            if bmin > dmin { bmin -= 1; backward[bmin - 1 + offset] = Int.max } else { bmin += 1 }
            if bmax < dmax { bmax += 1; backward[bmax + 1 + offset] = Int.max } else { bmax -= 1 }
            d = bmax
            while d >= bmin {
                var x = k(d - 1) < k(d + 1) ? k(d - 1) : k(d + 1) - 1
                let start = x
                var y = x - d
                while x > off1, y > off2, a[x - 1] == b[y - 1] { x -= 1; y -= 1 }
                if start - x > Self.snakeLength { gotSnake = true }
                backward[d + offset] = x
                if !odd, fmin <= d, d <= fmax, x <= f(d) { return Split(x: x, y: y, minimalLow: true, minimalHigh: true) }
                d -= 2
            }
            if !box.needMinimal {
                if gotSnake, cost > Self.heuristicMinimumCost,
                   let split = snakeHeuristic(box, cost: cost, f: (fmin, fmax, fmid), b: (bmin, bmax, bmid)) {
                    return split
                }
                if cost >= maximumCost { return cutOff(box, f: (fmin, fmax), b: (bmin, bmax)) }
            }
            cost += 1
        }
    }

    /// The furthest point reached forwards or backwards, whichever got further.
    private func cutOff(_ box: Box, f fr: (min: Int, max: Int), b br: (min: Int, max: Int)) -> Split {
        let (off1, lim1, off2, lim2) = (box.lowA, box.highA, box.lowB, box.highB)
        var fbest = -1, fbestX = -1
        var d = fr.max
        while d >= fr.min {
            var x = min(f(d), lim1), y = x - d
            if lim2 < y { x = lim2 + d; y = lim2 }
            if fbest < x + y { fbest = x + y; fbestX = x }
            d -= 2
        }
        var bbest = Int.max, bbestX = Int.max
        d = br.max
        while d >= br.min {
            var x = max(off1, k(d)), y = x - d
            if y < off2 { x = off2 + d; y = off2 }
            if x + y < bbest { bbest = x + y; bbestX = x }
            d -= 2
        }
        if (lim1 + lim2) - bbest < fbest - (off1 + off2) {
            return Split(x: fbestX, y: fbest - fbestX, minimalLow: true, minimalHigh: false)
        }
        return Split(x: bbestX, y: bbest - bbestX, minimalLow: false, minimalHigh: true)
    }

    /// A point on a long snake far along a good diagonal, if there is one.
    private func snakeHeuristic(_ box: Box, cost: Int, f fr: (min: Int, max: Int, mid: Int),
                                b br: (min: Int, max: Int, mid: Int)) -> Split? {
        let (off1, lim1, off2, lim2) = (box.lowA, box.highA, box.lowB, box.highB)
        let snake = Self.snakeLength
        var best = 0, found: (Int, Int)?
        var d = fr.max
        while d >= fr.min {
            let x = f(d), y = x - d
            let value = (x - off1) + (y - off2) - abs(d - fr.mid)
            if value > Self.heuristicFactor * cost, value > best, off1 + snake <= x, x < lim1, off2 + snake <= y, y < lim2,
               (1...snake).allSatisfy({ a[x - $0] == b[y - $0] }) {
                best = value
                found = (x, y)
            }
            d -= 2
        }
        if let (x, y) = found { return Split(x: x, y: y, minimalLow: true, minimalHigh: false) }
        best = 0
        d = br.max
        while d >= br.min {
            let x = k(d), y = x - d
            let value = (lim1 - x) + (lim2 - y) - abs(d - br.mid)
            if value > Self.heuristicFactor * cost, value > best, off1 < x, x <= lim1 - snake, off2 < y, y <= lim2 - snake,
               (0..<snake).allSatisfy({ a[x + $0] == b[y + $0] }) {
                best = value
                found = (x, y)
            }
            d -= 2
        }
        if let (x, y) = found { return Split(x: x, y: y, minimalLow: false, minimalHigh: true) }
        return nil
    }
}
