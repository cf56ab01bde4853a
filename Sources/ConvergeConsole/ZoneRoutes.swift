import Hummingbird

/// `/zones` and `/api/zones`: the zone view `converge serve` was given a source for.
struct ZoneRoutes {
    let state: ConsoleState

    /// `/api/zones`: the view without the per-asset membership (the asset list and map have it).
    struct ZonesOut: Encodable {
        var policy: ZoneView.PolicyInfo?
        var zones: [ZoneView.Zone]
        var conduits: [ZoneView.Conduit]
        var matrix: [ZoneView.Cell]
        var outside: [ZoneView.OutsideAsset]
        var outsideTotal: Int
        var diagnostics: [String]

        init(_ view: ZoneView?) {
            policy = view?.policy
            zones = view?.zones ?? []
            conduits = view?.conduits ?? []
            matrix = view?.matrix ?? []
            outside = view?.outside ?? []
            outsideTotal = view?.outsideTotal ?? 0
            diagnostics = view?.diagnostics ?? []
        }
    }

    func add(to router: Router<ConsoleContext>) {
        router.get("/zones") { _, context in
            let view = try await state.zoneView()
            return Layout.page(title: "Zones", section: .zones, session: context.session) { page in
                ZonePage.render(view, &page)
            }
        }
        router.get("/api/zones") { _, _ in
            JSONOut.response(ZonesOut(try await state.zoneView()))
        }
    }
}

extension ConsoleState {
    /// The current zone view, or nil when `converge serve` knows no policy.
    func zoneView() async throws -> ZoneView? {
        guard let source = options.zoneSource else { return nil }
        return try await source.zoneView()
    }
}
