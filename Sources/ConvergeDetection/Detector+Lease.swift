import ConvergeModel

/// Leases: how a counting plan's messages skip the rules while none of them can change what the
/// rules report.
///
/// A poll's counted message only adds one to each of its plan's threshold windows, and most of
/// the time that is all it can do: no window is near firing, and the plan's distinct value (its
/// function, its server, its unit) is in each distinct window's set already. While a window it
/// holds still wants evidence, a message under the lease gives its frame there at once
/// (`giveFrame`), so frames keep their order whichever plan or built message they come from. A
/// lease says for how long that holds: until one of the windows would reopen (`until`), for as
/// many messages as the count windows can take without reaching their thresholds (`budget`,
/// reserved in each count window so that other plans' and built messages' matches still see an
/// upper bound), and for one unit when a rule counts units. A message under the lease is only
/// counted in the lease (`pending`); the lease settles its count into the windows when it ends.
/// Everything that could make a lease's messages matter voids it: a window it holds firing,
/// reopening earlier than its time (captures out of time order), or a match from elsewhere that
/// could reach a count window's threshold (which settles the leases there first).
extension Detector {
    /// A counting plan's lease; `budget` 0 is none.
    struct PlanLease {
        /// The plan's generation (`count(plan:_:)` refuses another generation's messages).
        var generation: UInt32 = 0
        /// `leaseEpoch` when given: another epoch's lease is void.
        var epoch: UInt32 = 0
        /// Messages the lease may still take.
        var budget: Int32 = 0
        /// Messages it took and has not settled into its windows.
        var pending: Int32 = 0
        /// The unit its messages must address (a rule counts distinct units), `anyUnit` if any.
        var unit = PlanLease.anyUnit
        /// The times its messages must fall between: inside every window it holds.
        var from = Int64.max
        var until = Int64.min
        /// Windows it holds (the first ones of the plan's places in `leaseWindows`), and the
        /// messages it reserved in each count window.
        var windows: UInt8 = 0
        var reserved: Int32 = 0
        /// A window it holds still wants evidence frames (`giveFrame`).
        var wantsFrames = false

        static let anyUnit = Int.min

        /// Whether a message at `time` addressing `unit` can be taken under the lease.
        @inline(__always)
        func covers(time: Int64, unit messageUnit: Int?, epoch current: UInt32, clock: Int64) -> Bool {
            budget > 0 && epoch == current && time >= from && time <= until && clock <= until
                && (unit == PlanLease.anyUnit || unit == (messageUnit ?? -1))
        }
    }

    /// A window a lease holds: its place, which opening of the place it is, and whether the lease
    /// reserved matches in it.
    struct LeasedWindow {
        var place: Int32 = -1
        var serial: UInt32 = 0
        var counts = false
    }

    /// A message under plan `p`'s lease gives its frame to the windows the lease holds that still
    /// want evidence, as `Window.add` would have; the lease stops asking once none does.
    @inline(never)
    func giveFrame(plan p: Int, _ s: FeedSighting) {
        let first = p &* CandidateKey.width
        var wants = false
        for k in 0..<Int(planLeases[p].windows) {
            let held = leaseWindows[first &+ k]
            let slot = Int(held.place)
            guard slot >= 0, slot < windowStore.count, windowStore[slot].serial == held.serial,
                windowStore[slot].evidenceKept < Self.windowEvidence,
                let e = evidence(frame: s.frame, capture: s.capture)
            else { continue }
            windowStore[slot].evidence.append(e)
            windowStore[slot].evidenceKept &+= 1
            if windowStore[slot].evidenceKept < Self.windowEvidence { wants = true }
        }
        planLeases[p].wantsFrames = wants
    }

    /// Messages taken under leases so far.
    public var leasedMessages: Int { planLeases.reduce(leasesSettled) { $0 &+ Int($1.pending) } }

    func nextWindowSerial() -> UInt32 {
        windowSerials &+= 1
        return windowSerials
    }

    /// Gives plan `p` a lease if every rule's window allows one, right after the plan's rules met
    /// the message of `subject` (its time and endpoints) addressing `unit`.
    func lease(plan p: Int, subject s: Subject, unit: Int?) {
        let first = p &* CandidateKey.width
        let memos = Self.planMemos &+ first
        let rules = Int(planCounts[p])
        var budget = Int(Int32.max)
        var from = Int64.min
        var until = Int64.max
        var leaseUnit = PlanLease.anyUnit
        var wantsFrames = false
        for k in 0..<rules {
            let i = Int(planRules[first &+ k])
            // A rule without threshold counts each match into its alert.
            guard let threshold = hot[i].threshold else { return }
            let slot = stateMemos[memos &+ k].window
            guard slot >= 0, slot < windowStore.count, windowStore[slot].key == key(rule: i, scope: threshold.per, s),
                !windowStore[slot].fired
            else { return }
            if windowStore[slot].evidenceKept < Self.windowEvidence { wantsFrames = true }
            let start = windowStore[slot].start
            let span = threshold.windowSeconds &* 1_000_000_000
            guard s.time >= start, s.time &- start <= span else { return }
            from = max(from, start)
            until = min(until, start &+ span)
            if threshold.distinct != nil {
                var value = planDistinct[first &+ k]
                if value == Self.unitDistinct {
                    value = unit ?? -1
                    leaseUnit = value
                }
                guard windowStore[slot].distinct.contains(value) else { return }
            } else {
                // Half of what is left below the threshold, so that other plans get leases too.
                let slack = threshold.count &- 1 &- windowStore[slot].count &- windowStore[slot].reserved
                budget = min(budget, slack / 2)
            }
        }
        guard rules > 0, budget >= 1 else { return }
        for k in 0..<rules {
            let slot = stateMemos[memos &+ k].window
            let counts = hot[Int(planRules[first &+ k])].distinct == nil
            leaseWindows[first &+ k] = LeasedWindow(
                place: Int32(slot), serial: windowStore[slot].serial, counts: counts)
            windowStore[slot].leases &+= 1
            if counts { windowStore[slot].reserved &+= budget }
        }
        planLeases[p].epoch = leaseEpoch
        planLeases[p].budget = Int32(budget)
        planLeases[p].pending = 0
        planLeases[p].unit = leaseUnit
        planLeases[p].from = from
        planLeases[p].until = until
        planLeases[p].windows = UInt8(rules)
        planLeases[p].reserved = Int32(budget)
        planLeases[p].wantsFrames = wantsFrames
    }

    /// Ends plan `p`'s lease: its messages are counted into the windows it holds that are still the
    /// ones it was given (a reopened or closed window's count no longer matters), and its
    /// reservations given back.
    func settle(plan p: Int) {
        let first = p &* CandidateKey.width
        let pending = Int(planLeases[p].pending)
        let reserved = Int(planLeases[p].reserved)
        for k in 0..<Int(planLeases[p].windows) {
            let held = leaseWindows[first &+ k]
            let slot = Int(held.place)
            guard slot >= 0, slot < windowStore.count, windowStore[slot].serial == held.serial else { continue }
            windowStore[slot].leases &-= 1
            windowStore[slot].count &+= pending
            if held.counts { windowStore[slot].reserved &-= reserved }
        }
        leasesSettled &+= pending
        planLeases[p].windows = 0
        planLeases[p].budget = 0
        planLeases[p].pending = 0
        planLeases[p].reserved = 0
        planLeases[p].wantsFrames = false
    }

    /// A match from outside a lease on a window leases hold, before it is counted: a match that
    /// reopens the window ends the leases' part in it; one that could reach the threshold if the
    /// leases' messages were counted settles them first, so the count it sees is exact.
    func leasedWindowMatched(_ slot: Int, _ time: Int64, span: Int64, threshold: Rule.Threshold) {
        let start = windowStore[slot].start
        if time &- start > span || time < start {
            windowLeft(slot, at: time)
            return
        }
        if windowStore[slot].reserved > 0, threshold.distinct == nil,
            windowStore[slot].count &+ 1 &+ windowStore[slot].reserved >= threshold.count
        {
            for p in 0..<planLeases.count where planLeases[p].windows > 0 && holds(plan: p, slot) { settle(plan: p) }
        }
    }

    private func holds(plan p: Int, _ slot: Int) -> Bool {
        let first = p &* CandidateKey.width
        for k in 0..<Int(planLeases[p].windows) where leaseWindows[first &+ k].place == Int32(slot) {
            return leaseWindows[first &+ k].serial == windowStore[slot].serial
        }
        return false
    }

    /// A window leases hold reopens or closes at `time`: leases end by then (`leaseClock`), or,
    /// when time went back before the window's start, at once (a new epoch). Its leases no longer
    /// settle into it.
    func windowLeft(_ slot: Int, at time: Int64) {
        guard windowStore[slot].leases > 0 else { return }
        if time < windowStore[slot].start {
            leaseEpoch &+= 1
        } else if time > leaseClock {
            leaseClock = time
        }
        windowStore[slot].serial = nextWindowSerial()
        windowStore[slot].leases = 0
        windowStore[slot].reserved = 0
    }

    /// A window leases hold fired: their messages would now add evidence to its alert.
    func windowFired(_ slot: Int) {
        if windowStore[slot].leases > 0 { leaseEpoch &+= 1 }
    }
}
