import ConvergeModel

/// A packet's place in the run's inputs: which capture, which frame of it (1-based).
struct FrameReference {
    var capture = 0
    var number = 0
}

extension Message {
    /// Names the packet that completed this message (its evidence).
    mutating func stamp(_ frame: FrameReference) {
        self.frame = frame.number
        captureIndex = frame.capture
    }
}
