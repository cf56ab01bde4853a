import ConvergeModel

extension OPCUA {
    /// A standard service message, identified by the numeric id (namespace 0) of its
    /// DefaultBinary encoding: the type id a message body starts with and the value Wireshark
    /// reports as `opcua.servicenodeid.numeric` (631 for ReadRequest, not the data type 629).
    public struct Service: Sendable, Equatable {
        /// The service without Request/Response, in snake_case (`read`, `create_session`).
        public var base: StaticString
        public var isRequest: Bool
        public var operation: Operation

        /// `read_request`, `read_response`, `service_fault`. Allocates: for events only.
        public var name: String {
            let base = "\(self.base)"
            if base == "service_fault" { return base }
            return base + (isRequest ? "_request" : "_response")
        }

        public static func == (a: Service, b: Service) -> Bool {
            "\(a.base)" == "\(b.base)" && a.isRequest == b.isRequest && a.operation == b.operation
        }
    }

    /// Encoding ids the decoders below key on.
    public enum ServiceID {
        public static let serviceFault: UInt32 = 397
        public static let findServersRequest: UInt32 = 422, findServersResponse: UInt32 = 425
        public static let getEndpointsRequest: UInt32 = 428, getEndpointsResponse: UInt32 = 431
        public static let openSecureChannelRequest: UInt32 = 446, openSecureChannelResponse: UInt32 = 449
        public static let closeSecureChannelRequest: UInt32 = 452
        public static let createSessionRequest: UInt32 = 461, createSessionResponse: UInt32 = 464
        public static let activateSessionRequest: UInt32 = 467, activateSessionResponse: UInt32 = 470
        public static let browseRequest: UInt32 = 527, browseResponse: UInt32 = 530
        public static let readRequest: UInt32 = 631, readResponse: UInt32 = 634
        public static let writeRequest: UInt32 = 673, writeResponse: UInt32 = 676
        public static let callRequest: UInt32 = 712, callResponse: UInt32 = 715
        public static let createMonitoredItemsRequest: UInt32 = 751, createMonitoredItemsResponse: UInt32 = 754
        public static let createSubscriptionRequest: UInt32 = 787, createSubscriptionResponse: UInt32 = 790
        public static let publishRequest: UInt32 = 826, publishResponse: UInt32 = 829
        public static let addNodesRequest: UInt32 = 488, addNodesResponse: UInt32 = 491
        public static let addReferencesRequest: UInt32 = 494, addReferencesResponse: UInt32 = 497
        public static let deleteNodesRequest: UInt32 = 500, deleteNodesResponse: UInt32 = 503
        public static let deleteReferencesRequest: UInt32 = 506, deleteReferencesResponse: UInt32 = 509
        public static let browseNextRequest: UInt32 = 533, browseNextResponse: UInt32 = 536
        public static let translateBrowsePathsRequest: UInt32 = 554, translateBrowsePathsResponse: UInt32 = 557
        public static let registerNodesRequest: UInt32 = 560, registerNodesResponse: UInt32 = 563
        public static let unregisterNodesRequest: UInt32 = 566
        public static let historyReadRequest: UInt32 = 664, historyReadResponse: UInt32 = 667
        public static let historyUpdateRequest: UInt32 = 700, historyUpdateResponse: UInt32 = 703
        public static let deleteMonitoredItemsRequest: UInt32 = 781
        public static let modifySubscriptionRequest: UInt32 = 793, modifySubscriptionResponse: UInt32 = 796
        public static let setPublishingModeRequest: UInt32 = 799
        public static let republishResponse: UInt32 = 835
        public static let transferSubscriptionsRequest: UInt32 = 841
        public static let deleteSubscriptionsRequest: UInt32 = 847, deleteSubscriptionsResponse: UInt32 = 850
    }

    /// Every standard service request and response of OPC 10000-4 (and the deprecated TestStack
    /// pair), by encoding id; nil for anything else. Operations: discovery (FindServers,
    /// GetEndpoints, RegisterServer), session (secure channel and session handling; an
    /// ActivateSession with a non-anonymous user token becomes `auth` in its event), read
    /// (Read, HistoryRead, the View services, queries, subscriptions and monitored items: they
    /// only deliver data), write (Write, HistoryUpdate), program (node management), control (Call).
    public static func service(_ id: UInt32) -> Service? {
        guard let (base, requestID, operation) = serviceEntry(id) else { return nil }
        return Service(base: base, isRequest: id == requestID, operation: operation)
    }

    /// (name, request encoding id, operation) of the service a request or response id belongs to.
    static func serviceEntry(_ id: UInt32) -> (StaticString, UInt32, Operation)? {
        switch id {
        case 397: ("service_fault", 0, .other)
        case 410, 413: ("test_stack", 410, .diagnostic)
        case 416, 419: ("test_stack_ex", 416, .diagnostic)
        case 422, 425: ("find_servers", 422, .discovery)
        case 12208, 12209: ("find_servers_on_network", 12208, .discovery)
        case 428, 431: ("get_endpoints", 428, .discovery)
        case 437, 440: ("register_server", 437, .discovery)
        case 12211, 12212: ("register_server2", 12211, .discovery)
        case 446, 449: ("open_secure_channel", 446, .session)
        case 452, 455: ("close_secure_channel", 452, .session)
        case 461, 464: ("create_session", 461, .session)
        case 467, 470: ("activate_session", 467, .session)
        case 473, 476: ("close_session", 473, .session)
        case 479, 482: ("cancel", 479, .session)
        // Node management changes the server's address space (its model), not process values.
        case 488, 491: ("add_nodes", 488, .program)
        case 494, 497: ("add_references", 494, .program)
        case 500, 503: ("delete_nodes", 500, .program)
        case 506, 509: ("delete_references", 506, .program)
        case 527, 530: ("browse", 527, .read)
        case 533, 536: ("browse_next", 533, .read)
        case 554, 557: ("translate_browse_paths_to_node_ids", 554, .read)
        case 560, 563: ("register_nodes", 560, .read)
        case 566, 569: ("unregister_nodes", 566, .read)
        case 615, 618: ("query_first", 615, .read)
        case 621, 624: ("query_next", 621, .read)
        case 631, 634: ("read", 631, .read)
        case 664, 667: ("history_read", 664, .read)
        case 673, 676: ("write", 673, .write)
        case 700, 703: ("history_update", 700, .write)
        case 712, 715: ("call", 712, .control)
        case 751, 754: ("create_monitored_items", 751, .read)
        case 763, 766: ("modify_monitored_items", 763, .read)
        case 769, 772: ("set_monitoring_mode", 769, .read)
        case 775, 778: ("set_triggering", 775, .read)
        case 781, 784: ("delete_monitored_items", 781, .read)
        case 787, 790: ("create_subscription", 787, .read)
        case 793, 796: ("modify_subscription", 793, .read)
        case 799, 802: ("set_publishing_mode", 799, .read)
        case 826, 829: ("publish", 826, .read)
        case 832, 835: ("republish", 832, .read)
        case 841, 844: ("transfer_subscriptions", 841, .read)
        case 847, 850: ("delete_subscriptions", 847, .read)
        default: nil
        }
    }

    /// The request encoding id a response id answers (for pairing checks); nil if not a response.
    public static func requestID(answeredBy responseID: UInt32) -> UInt32? {
        guard let (_, requestID, _) = serviceEntry(responseID), requestID != responseID else { return nil }
        return requestID
    }
}
