//! User commands: ids, routing, receipts, transactions, acks, the pre-CONNECTED queue.

use super::*;

fn send(h: &mut Harness, dest: &str, body: &str, pairs: &[(&str, &str)]) -> Option<String> {
    let r =
        h.s.send(
            h.now,
            dest,
            body.as_bytes().to_vec(),
            headers(pairs),
            ContentLength::Auto,
        )
        .unwrap();
    h.drain();
    r
}

fn subscribe(h: &mut Harness, dest: &str, pairs: &[(&str, &str)]) -> Result<Issued, SessionError> {
    let r = h.s.subscribe(h.now, dest, headers(pairs));
    h.drain();
    r
}

#[test]
fn send_writes_destination_body_and_content_length() {
    let mut h = Harness::connected_12();
    assert_eq!(send(&mut h, "/queue/a", "hello", &[("x-k", "v")]), None);
    let f = h.one_frame();
    assert_eq!(f.command, Command::Send);
    assert_eq!(hv(&f, "destination"), Some("/queue/a"));
    assert_eq!(hv(&f, "x-k"), Some("v"));
    assert_eq!(hv(&f, "content-length"), Some("5"));
    assert_eq!(f.body, b"hello");
    h.s.send(
        h.now,
        "/q",
        b"hi".to_vec(),
        Headers::new(),
        ContentLength::Omit,
    )
    .unwrap();
    h.drain();
    let f = h.one_frame();
    assert_eq!(hv(&f, "content-length"), None);
    assert_eq!(f.body, b"hi");
}

#[test]
fn bodies_with_nul_bytes_go_out_whole() {
    let mut h = Harness::connected(
        Config {
            text: false,
            ..quiet()
        },
        "version:1.2\n",
    );
    h.s.send(
        h.now,
        "/q",
        vec![0, 1, 0xff, 0],
        Headers::new(),
        ContentLength::Auto,
    )
    .unwrap();
    h.drain();
    assert_eq!(h.one_frame().body, vec![0, 1, 0xff, 0]);
}

#[test]
fn text_transports_refuse_bodies_that_are_not_utf8() {
    let mut h = Harness::connected_12();
    let err =
        h.s.send(h.now, "/q", vec![0xff], Headers::new(), ContentLength::Auto)
            .unwrap_err();
    assert_eq!(err, SessionError::NotUtf8);
    assert!(err.to_string().contains("UTF-8"));
    h.drain();
    assert!(h.take_out().is_empty());
}

#[test]
fn arguments_are_checked() {
    let mut h = Harness::connected_12();
    let e =
        h.s.send(h.now, "", Vec::new(), Headers::new(), ContentLength::Auto);
    assert!(matches!(e, Err(SessionError::InvalidArgument(_))));
    assert!(e.unwrap_err().is_argument_error());
    assert!(matches!(
        subscribe(&mut h, "/q", &[("id", "")]),
        Err(SessionError::InvalidArgument(_))
    ));
    assert!(matches!(
        h.s.ack(h.now, "", "s", Headers::new()),
        Err(SessionError::InvalidArgument(_))
    ));
    assert!(matches!(
        h.s.send(
            h.now,
            "/q",
            Vec::new(),
            headers(&[("receipt", "")]),
            ContentLength::Auto
        ),
        Err(SessionError::InvalidArgument(_))
    ));
    h.drain();
    assert!(h.take_out().is_empty());
}

#[test]
fn subscription_ids_are_generated_given_and_never_collide() {
    let mut h = Harness::connected_12();
    assert_eq!(subscribe(&mut h, "/a", &[]).unwrap().id, "sub-0");
    assert_eq!(
        subscribe(&mut h, "/b", &[("id", "sub-2")]).unwrap().id,
        "sub-2"
    );
    assert_eq!(subscribe(&mut h, "/c", &[]).unwrap().id, "sub-1");
    assert_eq!(
        subscribe(&mut h, "/d", &[]).unwrap().id,
        "sub-3",
        "skips the user's sub-2"
    );
    assert_eq!(
        subscribe(&mut h, "/e", &[("id", "sub-0")]),
        Err(SessionError::DuplicateSubscription("sub-0".into()))
    );
    assert_eq!(
        subscribe(&mut h, "/f", &[("id", "mine")]).unwrap().id,
        "mine"
    );
    assert_eq!(
        subscribe(&mut h, "/g", &[("id", "mine")]),
        Err(SessionError::DuplicateSubscription("mine".into()))
    );
    let frames = h.take_frames();
    assert_eq!(frames.len(), 5);
    let ids: Vec<_> = frames.iter().map(|f| hv(f, "id").unwrap()).collect();
    assert_eq!(ids, ["sub-0", "sub-2", "sub-1", "sub-3", "mine"]);
    // Ids are not reused after an unsubscribe either.
    h.s.unsubscribe(h.now, "sub-0", Headers::new()).unwrap();
    assert_eq!(subscribe(&mut h, "/h", &[]).unwrap().id, "sub-4");
}

#[test]
fn subscribe_frame_carries_destination_id_and_headers() {
    let mut h = Harness::connected_12();
    let issued = subscribe(&mut h, "/topic/t", &[("ack", "client-individual")]).unwrap();
    assert_eq!(issued.receipt, None);
    let f = h.one_frame();
    assert_eq!(f.command, Command::Subscribe);
    assert_eq!(hv(&f, "destination"), Some("/topic/t"));
    assert_eq!(hv(&f, "id"), Some("sub-0"));
    assert_eq!(hv(&f, "ack"), Some("client-individual"));
    assert!(h.s.has_subscription("sub-0"));
    let sub = h.s.subscriptions().next().unwrap();
    assert_eq!(sub.destination, "/topic/t");
    assert_eq!(sub.headers.get("ack"), Some("client-individual"));
}

#[test]
fn unsubscribe_sends_the_id_and_forgets_the_subscription() {
    let mut h = Harness::connected_12();
    subscribe(&mut h, "/a", &[]).unwrap();
    h.take_out();
    assert_eq!(h.s.unsubscribe(h.now, "sub-0", Headers::new()), Ok(None));
    h.drain();
    let f = h.one_frame();
    assert_eq!(f.command, Command::Unsubscribe);
    assert_eq!(hv(&f, "id"), Some("sub-0"));
    assert!(!h.s.has_subscription("sub-0"));
    assert_eq!(
        h.s.unsubscribe(h.now, "sub-0", Headers::new()),
        Err(SessionError::UnknownSubscription("sub-0".into()))
    );
}

#[test]
fn messages_are_routed_by_subscription() {
    let mut h = Harness::connected_12();
    subscribe(&mut h, "/a", &[]).unwrap();
    h.take_events();
    h.server("MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/a\nack:a1\n\none\0");
    h.server("MESSAGE\nsubscription:other\nmessage-id:2\ndestination:/b\n\ntwo\0");
    h.server("MESSAGE\nmessage-id:3\ndestination:/c\n\nthree\0");
    let events = h.take_events();
    let routed: Vec<_> = events
        .iter()
        .map(|e| match e {
            Event::Message {
                frame,
                subscription,
                known,
                ..
            } => (frame.body_text().into_owned(), subscription.clone(), *known),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        routed,
        vec![
            ("one".into(), Some("sub-0".into()), true),
            ("two".into(), Some("other".into()), false),
            ("three".into(), None, false),
        ]
    );
}

#[test]
fn several_frames_in_one_chunk_and_frames_split_across_chunks() {
    let mut h = Harness::connected_12();
    let wire = "MESSAGE\nsubscription:s\nmessage-id:1\ndestination:/a\n\nx\0\n\
                MESSAGE\nsubscription:s\nmessage-id:2\ndestination:/a\n\ny\0\n"
        .as_bytes();
    h.feed(wire);
    assert_eq!(h.take_events().len(), 2);
    for b in wire {
        h.feed(std::slice::from_ref(b));
    }
    assert_eq!(h.take_events().len(), 2);
}

#[test]
fn receipts_are_generated_or_given_and_resolved() {
    let mut h = Harness::connected_12();
    let r = send(&mut h, "/q", "a", &[("receipt", "true")]);
    assert_eq!(r.as_deref(), Some("receipt-0"));
    assert_eq!(hv(&h.one_frame(), "receipt"), Some("receipt-0"));
    let r = send(&mut h, "/q", "b", &[("receipt", "mine")]);
    assert_eq!(r.as_deref(), Some("mine"));
    assert_eq!(hv(&h.one_frame(), "receipt"), Some("mine"));
    let sub = subscribe(&mut h, "/q", &[("receipt", "true")]).unwrap();
    assert_eq!(sub.receipt.as_deref(), Some("receipt-1"));
    assert_eq!(hv(&h.one_frame(), "receipt"), Some("receipt-1"));
    assert_eq!(
        h.s.pending_receipts().collect::<Vec<_>>(),
        ["receipt-0", "mine", "receipt-1"]
    );
    h.server("RECEIPT\nreceipt-id:mine\n\n\0");
    h.server("RECEIPT\nreceipt-id:unknown\n\n\0");
    let events = h.take_events();
    assert!(
        matches!(&events[0], Event::Receipt { id, frame } if id == "mine" && frame.command == Command::Receipt)
    );
    assert!(matches!(&events[1], Event::Receipt { id, .. } if id == "unknown"));
    assert_eq!(
        h.s.pending_receipts().collect::<Vec<_>>(),
        ["receipt-0", "receipt-1"]
    );
    // The subscription's stored headers never carry the one-time receipt.
    assert_eq!(
        h.s.subscriptions().next().unwrap().headers.get("receipt"),
        None
    );
}

#[test]
fn transactions_begin_commit_abort() {
    let mut h = Harness::connected_12();
    let tx = h.s.begin(h.now, None, Headers::new()).unwrap();
    assert_eq!(tx.id, "tx-0");
    h.drain();
    let f = h.one_frame();
    assert_eq!(
        (f.command, hv(&f, "transaction")),
        (Command::Begin, Some("tx-0"))
    );
    assert_eq!(
        h.s.begin(h.now, Some("tx-0"), Headers::new()),
        Err(SessionError::DuplicateTransaction("tx-0".into()))
    );
    assert_eq!(
        h.s.begin(h.now, Some("tx-1"), Headers::new()).unwrap().id,
        "tx-1"
    );
    assert_eq!(h.s.begin(h.now, None, Headers::new()).unwrap().id, "tx-2");
    h.s.send(
        h.now,
        "/q",
        b"in tx".to_vec(),
        headers(&[("transaction", "tx-0")]),
        ContentLength::Auto,
    )
    .unwrap();
    h.s.commit(h.now, "tx-0", Headers::new()).unwrap();
    h.s.abort(h.now, "tx-1", headers(&[("receipt", "true")]))
        .unwrap();
    assert_eq!(
        h.s.commit(h.now, "tx-0", Headers::new()),
        Err(SessionError::UnknownTransaction("tx-0".into()))
    );
    h.drain();
    let frames = h.take_frames();
    let got: Vec<_> = frames
        .iter()
        .map(|f| (f.command, hv(f, "transaction").unwrap_or("")))
        .collect();
    assert_eq!(
        got,
        [
            (Command::Begin, "tx-1"),
            (Command::Begin, "tx-2"),
            (Command::Send, "tx-0"),
            (Command::Commit, "tx-0"),
            (Command::Abort, "tx-1"),
        ]
    );
    assert_eq!(h.s.open_transactions().collect::<Vec<_>>(), ["tx-2"]);
}

#[test]
fn ack_and_nack_headers_per_version() {
    for (version, id_header) in [("1.2", "id"), ("1.1", "message-id"), ("1.0", "message-id")] {
        let mut h = Harness::connected(quiet(), &format!("version:{version}\n"));
        h.s.ack(h.now, "m-1", "sub-0", headers(&[("transaction", "t")]))
            .unwrap();
        h.drain();
        let f = h.one_frame();
        assert_eq!(f.command, Command::Ack);
        assert_eq!(hv(&f, id_header), Some("m-1"), "{version}");
        assert_eq!(hv(&f, "subscription"), Some("sub-0"));
        assert_eq!(hv(&f, "transaction"), Some("t"));
        let other = if id_header == "id" {
            "message-id"
        } else {
            "id"
        };
        assert_eq!(hv(&f, other), None);
        let nack = h.s.nack(h.now, "m-2", "sub-0", Headers::new());
        h.drain();
        if version == "1.0" {
            let err = nack.unwrap_err();
            assert_eq!(
                err,
                SessionError::Unsupported {
                    command: "NACK",
                    version: Version::V1_0
                }
            );
            assert_eq!(err.to_string(), "NACK is not available in STOMP 1.0");
            assert!(h.take_out().is_empty());
        } else {
            let f = h.one_frame();
            assert_eq!(f.command, Command::Nack);
            assert_eq!(hv(&f, id_header), Some("m-2"));
        }
    }
}

#[test]
fn commands_before_connected_are_held_in_order() {
    let mut h = Harness::new(quiet());
    h.connect(&[]);
    send(&mut h, "/q", "one", &[("receipt", "true")]);
    let sub = subscribe(&mut h, "/topic/t", &[]).unwrap();
    assert_eq!(sub.id, "sub-0");
    h.s.begin(h.now, None, Headers::new()).unwrap();
    h.s.ack(h.now, "m-1", "sub-0", Headers::new()).unwrap();
    send(&mut h, "/q", "two", &[]);
    let gone = subscribe(&mut h, "/never", &[("receipt", "true")]).unwrap();
    assert_eq!(h.s.unsubscribe(h.now, &gone.id, Headers::new()), Ok(None));
    assert_eq!(h.s.queued(), 4);
    h.open(Some("v11.stomp"));
    assert_eq!(h.one_frame().command, Command::Connect);
    h.server("CONNECTED\nversion:1.1\n\n\0");
    let frames = h.take_frames();
    let got: Vec<_> = frames.iter().map(|f| f.command).collect();
    assert_eq!(
        got,
        [
            Command::Subscribe,
            Command::Send,
            Command::Begin,
            Command::Ack,
            Command::Send
        ]
    );
    assert_eq!(hv(&frames[0], "id"), Some("sub-0"));
    assert_eq!(frames[1].body, b"one");
    assert_eq!(hv(&frames[1], "receipt"), Some("receipt-0"));
    // The held ACK got the headers of the version CONNECTED announced.
    assert_eq!(hv(&frames[3], "message-id"), Some("m-1"));
    assert_eq!(frames[4].body, b"two");
    assert_eq!(h.s.queued(), 0);
    assert_eq!(h.s.pending_receipts().collect::<Vec<_>>(), ["receipt-0"]);
}

#[test]
fn the_queue_is_bounded() {
    let mut h = Harness::new(Config {
        max_queued: 2,
        ..quiet()
    });
    h.connect(&[]);
    send(&mut h, "/q", "1", &[]);
    h.s.begin(h.now, None, Headers::new()).unwrap();
    let err =
        h.s.send(
            h.now,
            "/q",
            b"3".to_vec(),
            Headers::new(),
            ContentLength::Auto,
        )
        .unwrap_err();
    assert_eq!(err, SessionError::QueueFull(2));
    assert!(!err.is_argument_error());
    assert_eq!(
        h.s.ack(h.now, "m", "s", Headers::new()),
        Err(SessionError::QueueFull(2))
    );
    assert!(matches!(
        h.s.begin(h.now, None, Headers::new()),
        Err(SessionError::QueueFull(2))
    ));
    assert_eq!(h.s.open_transactions().count(), 1);
    // Subscriptions live in the registry, not in the queue.
    assert!(subscribe(&mut h, "/t", &[]).is_ok());
    assert_eq!(h.s.queued(), 2);
}

#[test]
fn a_held_nack_meeting_stomp_1_0_is_dropped_with_a_report() {
    let mut h = Harness::new(quiet());
    h.connect(&[]);
    h.s.nack(h.now, "m", "s", headers(&[("receipt", "r")]))
        .unwrap();
    h.open(None);
    h.take_out();
    h.take_events();
    h.server("CONNECTED\n\n\0");
    assert!(h.take_frames().is_empty());
    assert!(h
        .take_events()
        .iter()
        .any(|e| matches!(e, Event::ProtocolError(m) if m.contains("NACK"))));
    assert_eq!(h.s.pending_receipts().count(), 0);
}

#[test]
fn commands_need_a_session() {
    let mut h = Harness::new(quiet());
    let idle = SessionError::NotConnected(State::Idle);
    assert_eq!(
        h.s.send(h.now, "/q", Vec::new(), Headers::new(), ContentLength::Auto),
        Err(idle.clone())
    );
    assert_eq!(subscribe(&mut h, "/q", &[]), Err(idle.clone()));
    assert_eq!(h.s.begin(h.now, None, Headers::new()), Err(idle.clone()));
    assert_eq!(h.s.ack(h.now, "m", "s", Headers::new()), Err(idle.clone()));
    assert_eq!(
        idle.to_string(),
        "the STOMP client is not connected (state: idle)"
    );
    let mut h = Harness::connected_12();
    h.s.disconnect(h.now, Headers::new()).unwrap();
    assert_eq!(
        h.s.send(h.now, "/q", Vec::new(), Headers::new(), ContentLength::Auto),
        Err(SessionError::NotConnected(State::Disconnecting))
    );
    h.close(1000, "", true);
    assert_eq!(
        subscribe(&mut h, "/q", &[]),
        Err(SessionError::NotConnected(State::Closed))
    );
}

#[test]
fn subscriptions_are_sent_again_on_the_next_connect() {
    let mut h = Harness::connected_12();
    subscribe(&mut h, "/a", &[("ack", "client")]).unwrap();
    subscribe(&mut h, "/b", &[("id", "mine"), ("receipt", "r1")]).unwrap();
    h.take_out();
    h.close(1006, "lost", false);
    h.connect(&[]);
    h.open(Some("v12.stomp"));
    h.server("CONNECTED\nversion:1.2\n\n\0");
    let frames = h.take_frames();
    let got: Vec<_> = frames
        .iter()
        .map(|f| {
            (
                f.command,
                hv(f, "id"),
                hv(f, "destination"),
                hv(f, "receipt"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (Command::Connect, None, None, None),
            (Command::Subscribe, Some("sub-0"), Some("/a"), None),
            (Command::Subscribe, Some("mine"), Some("/b"), None),
        ]
    );
    assert_eq!(hv(&frames[1], "ack"), Some("client"));
}

#[test]
fn a_held_subscription_that_the_version_cannot_carry_is_dropped_and_reported() {
    let mut h = Harness::new(quiet());
    h.connect(&[]);
    let id =
        h.s.subscribe(h.now, "/q", headers(&[("x", "a\nb"), ("receipt", "r")]))
            .unwrap()
            .id;
    h.open(None);
    h.take_frames();
    h.server("CONNECTED\nversion:1.0\n\n\0");
    assert!(h.take_frames().is_empty(), "no SUBSCRIBE went out");
    assert!(!h.s.has_subscription(&id));
    let events = h.take_events();
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::ReceiptDropped { id, .. } if id == "r")));
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::ProtocolError(m) if m.contains("SUBSCRIBE"))));
}
