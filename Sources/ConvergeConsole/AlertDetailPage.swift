import ConvergeModel
import ConvergeStore

/// `/alerts/{id}`: what raised it and why it matters, the fields that matched, the assets and the
/// packets behind it (with the evidence pcap), who triaged it, and the triage form.
enum AlertDetailPage {
    static func render(
        _ alert: Alert, history: [TriageEntry], assetIDs: [String: String], session: ConsoleSession?,
        _ page: inout HTMLBuilder
    ) {
        page.raw(AlertHTML.stylesheet)
        page.raw("<section><dl class=\"facts\" id=\"alert-summary\"><dt>Severity</dt><dd id=\"alert-severity\">")
        AlertHTML.badge(&page, alert.severity)
        page.raw("</dd><dt>State</dt><dd id=\"alert-state\">")
        AlertHTML.state(&page, alert.state)
        page.raw("</dd><dt>Rule</dt><dd id=\"alert-rule\">")
        page.link("/alerts?rule=" + HTML.queryComponent(alert.rule), alert.rule)
        page.raw("</dd><dt>Id</dt><dd>")
        page.text(alert.id)
        page.raw("</dd><dt>Techniques</dt><dd id=\"alert-techniques\">")
        AlertHTML.attack(&page, alert.techniques)
        page.raw("</dd><dt>Tactics</dt><dd id=\"alert-tactics\">")
        AlertHTML.attack(&page, alert.tactics)
        page.raw("</dd><dt>Seen</dt><dd>")
        page.text("\(alert.firstSeen.display) → \(alert.lastSeen.display)")
        page.raw("</dd><dt>Count</dt><dd id=\"alert-count\">")
        page.text(String(alert.count))
        page.raw("</dd></dl></section>")

        if !alert.description.isEmpty {
            page.raw("<section><h2>Description</h2><p class=\"prose\" id=\"alert-description\">")
            page.text(alert.description)
            page.raw("</p></section>")
        }
        if !alert.remediation.isEmpty {
            page.raw("<section><h2>Remediation</h2><p class=\"prose\" id=\"alert-remediation\">")
            page.text(alert.remediation)
            page.raw("</p></section>")
        }

        page.raw("<section><h2>Matched fields</h2><table id=\"alert-fields\"><thead><tr><th>Field</th><th>Value</th>")
        page.raw("</tr></thead><tbody>")
        for name in alert.fields.keys.sorted() {
            page.raw("<tr><td>")
            page.text(name)
            page.raw("</td><td>")
            page.text(alert.fields[name] ?? "")
            page.raw("</td></tr>")
        }
        page.raw("</tbody></table></section>")

        page.raw("<section><h2>Assets involved</h2><ul id=\"alert-assets\">")
        for key in alert.assets {
            page.raw("<li>")
            if let id = assetIDs[key] { page.link(HTML.assetHref(id), key) } else { page.text(key) }
            page.raw("</li>")
        }
        page.raw("</ul></section>")

        page.raw("<section><h2>Evidence</h2>")
        if alert.evidence.isEmpty {
            page.raw("<p>No packets were kept for this alert.</p>")
        } else {
            page.raw("<p>")
            page.link(AlertHTML.href(alert.id) + "/evidence.pcap", "Download evidence pcap")
            page.text(" (\(alert.evidence.count) frames, read again from the capture files)")
            page.raw(
                "</p><table id=\"alert-evidence\"><thead><tr><th>Capture file</th><th>Frame</th></tr></thead><tbody>")
            for frame in alert.evidence {
                page.raw("<tr><td>")
                page.text(frame.capture)
                page.raw("</td><td class=\"n\">")
                page.text(String(frame.frame))
                page.raw("</td></tr>")
            }
            page.raw("</tbody></table>")
        }
        page.raw("</section>")

        page.raw("<section><h2>Triage history</h2><table id=\"alert-history\"><thead><tr><th>Time</th><th>User</th>")
        page.raw("<th>State</th><th>Note</th></tr></thead><tbody>")
        for entry in history.reversed() {
            page.raw("<tr><td>")
            page.text(entry.time.display)
            page.raw("</td><td>")
            page.text(entry.user)
            page.raw("</td><td>")
            AlertHTML.state(&page, entry.state)
            page.raw("</td><td>")
            page.text(entry.note)
            page.raw("</td></tr>")
        }
        page.raw("</tbody></table>")
        if AlertTriageAction.allowed(session), let session {
            page.raw("<form method=\"post\" class=\"triage-form\" id=\"alert-triage-one\"")
            page.attr("action", AlertHTML.href(alert.id) + "/triage")
            page.raw(">")
            Layout.csrfField(&page, session)
            page.raw("<label>State <select name=\"state\">")
            for s in Alert.TriageState.allCases {
                AssetListPage.option(&page, s.rawValue, s.rawValue, selected: alert.state.rawValue)
            }
            page.raw("</select></label><textarea name=\"note\" rows=\"3\" maxlength=\"2000\" placeholder=\"note\">")
            page.raw("</textarea><button type=\"submit\">Save triage</button></form>")
        }
        page.raw("</section>")
    }
}
