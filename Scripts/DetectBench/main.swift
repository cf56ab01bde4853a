// Measures the detector against decoding alone. Not in Package.swift: to run it, add for the run
// `.executableTarget(name: "DetectBench", dependencies: ["ConvergeDetection", "ConvergeEngine", "ConvergeModel"],
// path: "Scripts/DetectBench")`, then `swift build -c release --product DetectBench` and
// `.build/release/DetectBench CAPTURE...` (prints events-only vs events+detector times).
import ConvergeDetection
import ConvergeEngine
import ConvergeModel
import Foundation

let paths = Array(CommandLine.arguments.dropFirst())
let rules = try RuleLoader.builtIn()
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

var best = (events: Double.infinity, detect: Double.infinity, alone: Double.infinity)
var eventCount = 0
var alertCount = 0
var matchCount = 0
for _ in 0..<3 {
    var n = 0
    var t = now()
    let a1 = Analyzer()
    a1.eventSink = { _ in n += 1 }
    a1.flowSink = { _ in n += 1 }
    _ = a1.run(paths: paths)
    best.events = min(best.events, now() - t)
    eventCount = n

    let detector = Detector(rules: rules, captures: paths)
    t = now()
    let a2 = Analyzer()
    a2.eventSink = { detector.observe($0) }
    a2.flowSink = { detector.observe(.flow($0)) }
    _ = a2.run(paths: paths)
    best.detect = min(best.detect, now() - t)
    alertCount = detector.finish().count
    matchCount = detector.matchCount
}
var stored: [Event] = []
let a3 = Analyzer()
a3.eventSink = { stored.append($0) }
a3.flowSink = { stored.append(.flow($0)) }
_ = a3.run(paths: paths)
for _ in 0..<5 {
    let detector = Detector(rules: rules, captures: paths)
    let t = now()
    for e in stored { detector.observe(e) }
    best.alone = min(best.alone, now() - t)
}
print(
    "captures \(paths.count), events \(eventCount), rules \(rules.count), alerts \(alertCount), matches \(matchCount)")
print(
    String(
        format: "events only: %.3f s; events + detector: %.3f s (+%.1f%%)", best.events, best.detect,
        (best.detect / best.events - 1) * 100))
print(
    String(
        format: "detector alone over %d stored events: %.3f s = %.0f ns/event", stored.count, best.alone,
        best.alone / Double(max(stored.count, 1)) * 1e9))
