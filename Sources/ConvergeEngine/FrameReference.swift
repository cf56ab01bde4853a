/// A packet's place in the run's inputs: which capture, which frame of it (1-based).
struct FrameReference {
    var capture = 0
    var number = 0
}
