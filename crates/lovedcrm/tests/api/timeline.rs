//! Communications logged by hand and the merged timeline.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::contacts::create as contact;
use crate::helpers::{TestApp, assert_problem, email};
use crate::on_both;
use crate::pipelines::{default_pipeline, lead, stage_id};

on_both!(
    logging_a_call_updates_the_lead_and_its_timeline,
    timeline_pages_newest_first_without_gaps_while_messages_arrive,
    provider_retries_are_not_duplicated,
    contact_timelines_and_isolation,
    company_timeline_gathers_its_people_as_far_as_the_caller_sees,
    inbound_messages_are_credited_to_the_contact_not_to_who_logged_them,
);

async fn log(app: &TestApp, s: &crate::helpers::Session, body: Value) -> reqwest::Response {
    app.api(Method::POST, "/communications", Some(s))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn logging_a_call_updates_the_lead_and_its_timeline(app: TestApp) {
    let s = app.register(&email("tl")).await;
    let l = lead(&app, &s, json!({"full_name": "Caller"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = log(&app, &s, json!({"lead_id": l, "channel": "call", "content": "Discussed pricing",
                                   "metadata": {"duration_seconds": 320}, "sent_at": "2026-11-20T10:00:00Z"})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let call: Value = res.json().await.unwrap();
    assert_eq!(call["direction"], "outbound");
    assert_eq!(call["status"], "sent");
    let lead_now: Value = app
        .api(Method::GET, &format!("/leads/{l}"), Some(&s))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(lead_now["last_contact_channel"], "call");
    assert_eq!(lead_now["last_contact_at"], "2026-11-20T10:00:00Z");
    // An older message does not move "last contact" back.
    log(&app, &s, json!({"lead_id": l, "channel": "email", "direction": "inbound", "subject": "Re: proposal", "sent_at": "2026-11-19T09:00:00Z"})).await;
    log(
        &app,
        &s,
        json!({"lead_id": l, "channel": "note", "content": "Prefers WhatsApp"}),
    )
    .await;
    let lead_now: Value = app
        .api(Method::GET, &format!("/leads/{l}"), Some(&s))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        lead_now["last_contact_channel"], "call",
        "notes are not contact"
    );
    let p = default_pipeline(&app, &s).await;
    app.api(Method::PATCH, &format!("/leads/{l}/stage"), Some(&s))
        .json(&json!({"stage_id": stage_id(&p, "Contact")}))
        .send()
        .await
        .unwrap();

    let tl: Value = app
        .api(Method::GET, &format!("/leads/{l}/timeline"), Some(&s))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kinds: Vec<String> = tl["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{}:{}",
                i["item_type"].as_str().unwrap(),
                i["channel"].as_str().or(i["kind"].as_str()).unwrap()
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "activity:stage_changed",
            "communication:note",
            "communication:call",
            "communication:email"
        ]
    );
    let calls: Value = app
        .api(
            Method::GET,
            &format!("/leads/{l}/timeline?channel=call,email"),
            Some(&s),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(calls["data"].as_array().unwrap().len(), 2);
    let res = app
        .api(
            Method::GET,
            &format!("/leads/{l}/timeline?channel=fax"),
            Some(&s),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_query").await;

    let res = log(
        &app,
        &s,
        json!({"channel": "pigeon", "direction": "sideways"}),
    )
    .await;
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["channel", "direction", "lead_id"]);
    // Status updates from a provider.
    let path = format!("/communications/{}", call["id"].as_str().unwrap());
    let res = app
        .api(Method::PATCH, &path, Some(&s))
        .json(&json!({"status": "read"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "read");
}

async fn timeline_pages_newest_first_without_gaps_while_messages_arrive(app: TestApp) {
    let s = app.register(&email("tlpage")).await;
    let l = lead(&app, &s, json!({"full_name": "Chatty"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut original = Vec::new();
    for i in 0..13 {
        // Some share a timestamp: the id breaks the tie.
        let at = format!("2026-11-{:02}T12:00:00Z", 1 + i / 2);
        let res = log(&app, &s, json!({"lead_id": l, "channel": "whatsapp", "direction": "inbound", "content": format!("msg {i}"), "sent_at": at})).await;
        original.push(
            res.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/leads/{l}/timeline?limit=4");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page: Value = app
            .api(Method::GET, &path, Some(&s))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for item in page["data"].as_array().unwrap() {
            seen.push((
                item["at"].as_str().unwrap().to_string(),
                item["id"].as_str().unwrap().to_string(),
            ));
        }
        // New messages keep arriving while the user scrolls back.
        log(
            &app,
            &s,
            json!({"lead_id": l, "channel": "whatsapp", "content": "new"}),
        )
        .await;
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let ids: Vec<&String> = seen.iter().map(|(_, id)| id).collect();
    for id in &original {
        assert!(ids.contains(&id), "message {id} skipped");
    }
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted, "newest first, ties broken by id");
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "nothing repeated");
}

async fn provider_retries_are_not_duplicated(app: TestApp) {
    let s = app.register(&email("dup")).await;
    let l = lead(&app, &s, json!({"full_name": "Dup"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"lead_id": l, "channel": "whatsapp", "direction": "inbound", "provider": "meta", "external_id": "wamid.ABC"});
    assert_eq!(
        log(&app, &s, body.clone()).await.status(),
        StatusCode::CREATED
    );
    assert_problem(
        log(&app, &s, body).await,
        StatusCode::CONFLICT,
        "duplicate_communication",
    )
    .await;
    // Another organization may receive the same provider id.
    let other = app.register(&email("dup2")).await;
    let l2 = lead(&app, &other, json!({"full_name": "Dup"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = log(&app, &other, json!({"lead_id": l2, "channel": "whatsapp", "provider": "meta", "external_id": "wamid.ABC"})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

async fn contact_timelines_and_isolation(app: TestApp) {
    let a = app.register(&email("ctl")).await;
    let c = contact(&app, &a, json!({"name": "Contact With History"})).await;
    let cid = c["id"].as_str().unwrap();
    let l = lead(&app, &a, json!({"full_name": "Deal", "contact_id": cid})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Logged on the lead, it shows on the lead's contact too.
    log(
        &app,
        &a,
        json!({"lead_id": l, "channel": "email", "subject": "Hello"}),
    )
    .await;
    log(
        &app,
        &a,
        json!({"contact_id": cid, "channel": "meeting", "subject": "Coffee"}),
    )
    .await;
    let tl: Value = app
        .api(Method::GET, &format!("/contacts/{cid}/timeline"), Some(&a))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let subjects: Vec<&str> = tl["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ["Coffee", "Hello"]);
    let b = app.register(&email("ctl-b")).await;
    let res = app
        .api(Method::GET, &format!("/contacts/{cid}/timeline"), Some(&b))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = log(
        &app,
        &b,
        json!({"lead_id": l, "channel": "note", "content": "intrusion"}),
    )
    .await;
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "lead_id");
    let listed: Value = app
        .api(Method::GET, "/communications", Some(&b))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(listed["data"].as_array().unwrap().is_empty());
}

/// A company's timeline holds what was logged on its contacts and its leads;
/// a sales rep sees in it only the contacts and leads open to them.
async fn company_timeline_gathers_its_people_as_far_as_the_caller_sees(app: TestApp) {
    let owner = app.register(&email("cotl")).await;
    let rep = app.register(&email("cotl-rep")).await;
    let rep = app.add_member(&owner, &rep, "sales").await;
    let (status, company) = crate::comments::call(
        &app,
        &owner,
        Method::POST,
        "/companies",
        Some(json!({"name": "Acme Timeline"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{company}");
    let co = company["id"].as_str().unwrap();
    let employee = contact(&app, &owner, json!({"name": "Employee", "company_id": co})).await;
    let stranger = contact(&app, &owner, json!({"name": "Stranger"})).await;
    let deal = lead(
        &app,
        &owner,
        json!({"full_name": "Acme deal", "company_id": co}),
    )
    .await;
    for body in [
        json!({"contact_id": employee["id"], "channel": "email", "subject": "On the contact"}),
        json!({"lead_id": deal["id"], "channel": "call", "subject": "On the lead"}),
        json!({"contact_id": stranger["id"], "channel": "email", "subject": "Elsewhere"}),
    ] {
        assert_eq!(log(&app, &owner, body).await.status(), StatusCode::CREATED);
    }
    let path = format!("/companies/{co}/timeline?channel=email,call");
    let subjects = |tl: &Value| -> Vec<String> {
        tl["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["subject"].as_str().unwrap().to_string())
            .collect()
    };
    let (status, tl) = crate::comments::call(&app, &owner, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{tl}");
    assert_eq!(subjects(&tl), ["On the lead", "On the contact"]);

    // The rep sees the company and the lead (shared), not the contact.
    let (status, _) = crate::comments::call(&app, &rep, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for (kind, id) in [("company", co), ("lead", deal["id"].as_str().unwrap())] {
        let (status, body) = crate::comments::call(
            &app,
            &owner,
            Method::POST,
            "/shares",
            Some(json!({"entity_type": kind, "record_id": id, "user_id": rep.user_id})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, tl) = crate::comments::call(&app, &rep, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{tl}");
    assert_eq!(subjects(&tl), ["On the lead"]);
    // The communications list shows the rep the same: what their leads and
    // contacts hold (it used to show a sales member nothing at all).
    let (status, list) =
        crate::comments::call(&app, &rep, Method::GET, "/communications", None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(subjects(&list), ["On the lead"]);
    let (_, list) = crate::comments::call(&app, &owner, Method::GET, "/communications", None).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 3);

    let outsider = app.register(&email("cotl-out")).await;
    let res = app
        .api(
            Method::GET,
            &format!("/companies/{co}/timeline"),
            Some(&outsider),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

async fn inbound_messages_are_credited_to_the_contact_not_to_who_logged_them(app: TestApp) {
    let s = app.register(&email("authors")).await;
    let rita = contact(&app, &s, json!({"name": "Rita Lima"})).await;
    let l = lead(
        &app,
        &s,
        json!({"full_name": "Lima Bakery", "contact_id": rita["id"]}),
    )
    .await;
    let bare = lead(&app, &s, json!({"full_name": "Walk-in Customer"})).await;
    let lid = l["id"].as_str().unwrap();
    let bare_id = bare["id"].as_str().unwrap();
    for body in [
        json!({"channel": "whatsapp", "direction": "inbound", "lead_id": lid, "contact_id": rita["id"], "content": "Hi, any news?"}),
        json!({"channel": "whatsapp", "direction": "outbound", "lead_id": lid, "contact_id": rita["id"], "content": "Tomorrow!"}),
        json!({"channel": "call", "direction": "inbound", "lead_id": bare_id, "content": "Called about prices"}),
    ] {
        assert_eq!(log(&app, &s, body).await.status(), StatusCode::CREATED);
    }
    let page: Value = app
        .api(
            Method::GET,
            &format!("/leads/{lid}/timeline?channel=whatsapp"),
            Some(&s),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let authors: Vec<(String, String, String)> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let a = &i["author"];
            (
                i["content"].as_str().unwrap().into(),
                a["kind"].as_str().unwrap().into(),
                a["name"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        authors,
        [
            (
                "Tomorrow!".to_string(),
                "member".to_string(),
                "Test User".to_string()
            ),
            (
                "Hi, any news?".to_string(),
                "contact".to_string(),
                "Rita Lima".to_string()
            ),
        ]
    );
    assert_eq!(page["data"][1]["author"]["id"], rita["id"]);
    // Without a contact, an inbound message is the lead's.
    let page: Value = app
        .api(Method::GET, &format!("/leads/{bare_id}/timeline"), Some(&s))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let call = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["channel"] == "call")
        .unwrap();
    assert_eq!(
        (
            call["author"]["kind"].as_str(),
            call["author"]["name"].as_str()
        ),
        (Some("lead"), Some("Walk-in Customer"))
    );
    // An activity (the lead's creation) is the member's who did it.
    let activity = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item_type"] == "activity");
    if let Some(a) = activity {
        assert_eq!(a["author"]["kind"], "member", "{a}");
    }
}
