/// The alert pages' stylesheet, served at /static/alerts.css next to the console's own.
enum AlertStyles {
    static let css = """
        .sev { display: inline-block; min-width: 4.5em; text-align: center; border-radius: 3px; padding: 0 4px;
          font-size: 12px; font-weight: 600; color: #fff; background: #738091; }
        .sev-critical { background: #8e1f23; } .sev-high { background: #cd4246; } .sev-medium { background: #d9822b; }
        .sev-low { background: #2d72d2; } .sev-info { background: #738091; }
        .state { font-size: 12px; padding: 0 4px; border: 1px solid #abb3bf; border-radius: 3px; }
        .state-new { border-color: #cd4246; color: #ac2f33; } .state-closed { color: #738091; }
        .attack { white-space: nowrap; }
        .bulk { display: flex; gap: 6px; align-items: center; margin: 6px 0; }
        .bulk input[name=note] { min-width: 24em; }
        .triage-form { display: grid; gap: 6px; max-width: 40em; }
        .prose { max-width: 60em; white-space: pre-wrap; }
        table.alerts td { max-width: 32em; overflow-wrap: anywhere; }
        """
}
