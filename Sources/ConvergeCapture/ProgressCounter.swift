/// Bytes of input consumed so far across all inputs of a run, shared by their readers so the
/// engine can read progress from inside the packet callback at the cost of one load.
final class ProgressCounter {
    var bytes = 0
}
