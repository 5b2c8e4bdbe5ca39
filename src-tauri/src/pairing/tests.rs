//! Pairing rules, one concern per test.

use super::*;

fn party(key: &str, name: &str) -> Party {
    Party {
        key: key.into(),
        name: name.into(),
        ..Party::default()
    }
}

#[test]
fn names_normalise_case_spacing_and_punctuation() {
    for (a, b) in [
        ("St. Mark's  Church", "st marks church"),
        ("Smith & Sons", "Smith and Sons"),
        ("  ECKER designs ", "Ecker Designs"),
        ("Cole-Family", "Cole Family"),
    ] {
        assert_eq!(
            normalize_name(a),
            normalize_name(b),
            "{a:?} and {b:?} are one name"
        );
    }
    assert_ne!(
        normalize_name("Ecker Designs"),
        normalize_name("Ecker Design")
    );
}

#[test]
fn addresses_compare_with_street_words_abbreviated() {
    assert_eq!(
        address_key(Some("12 Mill Road"), Some("06268-1234")),
        address_key(Some("12 mill rd."), Some("06268")),
        "Road/rd. and ZIP+4/ZIP are the same place"
    );
    assert_ne!(
        address_key(Some("12 Mill Rd"), None),
        address_key(Some("14 Mill Rd"), None)
    );
    assert_eq!(
        address_key(Some("  "), Some("06268")),
        None,
        "no street, no address"
    );
}

#[test]
fn a_unique_exact_name_links_automatically() {
    let qb = vec![
        party("80-1", "Ecker Designs"),
        party("80-2", "Hilltop Bakery"),
    ];
    let m = Matcher::new(qb.clone());
    assert_eq!(
        m.decide(&party("C-1", "ecker designs")),
        Decision::Link("80-1".into())
    );
}

#[test]
fn an_exact_name_at_a_different_address_only_suggests() {
    let mut q = party("80-1", "Cole Family");
    q.address_line1 = Some("9 River Rd".into());
    let qb = vec![q];
    let mut app = party("C-1", "Cole Family");
    app.address_line1 = Some("40 Depot St".into());
    match Matcher::new(qb.clone()).decide(&app) {
        Decision::Suggest(c) => assert_eq!(c[0].reasons, vec![Reason::SameName]),
        other => panic!("two Cole families at two addresses need a person to decide: {other:?}"),
    }
}

#[test]
fn two_exact_names_only_suggest() {
    // A customer and a job can share a name; linking to either blindly could be wrong.
    let qb = vec![party("80-1", "Main Office"), party("80-2", "Main Office")];
    assert!(matches!(
        Matcher::new(qb.clone()).decide(&party("C-1", "Main Office")),
        Decision::Suggest(c) if c.len() == 2
    ));
}

#[test]
fn near_names_and_shared_contacts_are_suggested_with_their_reasons() {
    let mut q = party("80-1", "Ecker Designs LLC");
    q.phone = Some("+1 (555) 201-3344".into());
    q.email = Some("Jane@Ecker.example".into());
    let qb = vec![q, party("80-2", "Unrelated Plumbing")];
    let mut app = party("C-1", "Ecker Design Studio");
    app.phone = Some("555.201.3344".into());
    app.email = Some("jane@ecker.example".into());
    let c = Matcher::new(qb.clone()).candidates(&app);
    assert_eq!(c.len(), 1, "only the record with evidence: {c:?}");
    assert_eq!(c[0].list_id, "80-1");
    assert!(
        c[0].reasons.contains(&Reason::SamePhone),
        "phones agree by digits: {c:?}"
    );
    assert!(
        c[0].reasons.contains(&Reason::SameEmail),
        "e-mail agrees ignoring case: {c:?}"
    );
}

#[test]
fn llc_and_inc_do_not_make_names_different() {
    let qb = vec![party("80-1", "Ecker Designs LLC")];
    let c = Matcher::new(qb.clone()).candidates(&party("C-1", "Ecker Designs"));
    assert_eq!(c[0].reasons, vec![Reason::SimilarName]);
    assert!(c[0].score >= MIN_SUGGESTION_SCORE);
}

#[test]
fn common_words_alone_are_not_evidence() {
    let qb: Vec<Party> = (0..200)
        .map(|i| party(&format!("80-{i}"), &format!("Surname{i} Residence")))
        .collect();
    assert_eq!(
        Matcher::new(qb.clone()).decide(&party("C-1", "Okafor Residence")),
        Decision::NoCandidate,
        "sharing the word 'Residence' with 200 customers says nothing"
    );
}

#[test]
fn company_name_matches_count_as_the_same_name() {
    let mut q = party("80-1", "Brookside");
    q.company_name = Some("Brookside Dental Group".into());
    let qb = vec![q];
    assert_eq!(
        Matcher::new(qb.clone()).decide(&party("C-1", "Brookside Dental Group")),
        Decision::Link("80-1".into())
    );
}

#[test]
fn name_taken_follows_quickbooks_names_not_company_names() {
    let mut q = party("80-1", "Brookside");
    q.company_name = Some("Brookside Dental Group".into());
    let qb = vec![q];
    let m = Matcher::new(qb.clone());
    assert!(
        m.name_taken("BROOKSIDE"),
        "QuickBooks names are unique ignoring case"
    );
    assert!(
        !m.name_taken("Brookside Dental Group"),
        "a company name is not a Name"
    );
}

#[test]
fn ten_thousand_against_fifty_thousand_uses_the_index() {
    // Not a timing test: it proves the indexed path gives the same answer as comparing
    // every pair on a sample, which is what makes the large case tractable.
    let qb: Vec<Party> = (0..5_000)
        .map(|i| {
            let mut p = party(&format!("80-{i}"), &format!("Customer {i} Holdings"));
            p.phone = Some(format!("555{:07}", i));
            p
        })
        .collect();
    let m = Matcher::new(qb.clone());
    for i in (0..5_000).step_by(499) {
        let mut app = party(&format!("C-{i}"), &format!("customer {i} holdings"));
        app.phone = Some(format!("(555) {:07}", i));
        let brute: Vec<String> = qb
            .iter()
            .filter(|q| compare(&app, q).0 >= MIN_SUGGESTION_SCORE)
            .map(|q| q.key.clone())
            .collect();
        let indexed: Vec<String> = m.candidates(&app).into_iter().map(|c| c.list_id).collect();
        assert!(brute.contains(&format!("80-{i}")));
        assert_eq!(
            indexed[0],
            format!("80-{i}"),
            "the indexed best is the true record"
        );
        assert!(
            indexed.iter().all(|k| brute.contains(k)),
            "no invented candidates"
        );
    }
}

fn with_company(key: &str, name: &str, company: &str) -> Party {
    Party {
        company_name: Some(company.into()),
        ..party(key, name)
    }
}

#[test]
fn near_duplicates_found_by_a_search_wait_for_a_person() {
    // The first sync of issue 17: each app customer (with the company names the sample data
    // gives them) has a QuickBooks customer written differently.
    let qb = vec![
        party("80-1", "Brookside Dental Grp"),
        party("80-2", "Hill Top Bakery"),
        party("80-3", "Summit Fitness Center"),
        party("80-4", "Summit Dental"),
    ];
    let m = Matcher::new(qb);
    for (app, expected) in [
        (
            with_company("C-1", "Brookside Dental", "Brookside Dental Group"),
            "80-1",
        ),
        (
            with_company("C-2", "Hilltop Bakery", "Hilltop Bakery Inc"),
            "80-2",
        ),
        (
            with_company("C-3", "Summit Fitness", "Summit Fitness Studio"),
            "80-3",
        ),
    ] {
        match m.decide(&app) {
            Decision::Suggest(c) => {
                assert_eq!(c[0].list_id, expected, "{}: {c:?}", app.name);
                assert_eq!(c[0].reasons, vec![Reason::SimilarName]);
                assert!(
                    c.iter().all(|c| c.list_id != "80-4"),
                    "Summit Dental is another business: {c:?}"
                );
            }
            other => panic!("{} must wait for a person: {other:?}", app.name),
        }
    }
}

#[test]
fn a_numbered_quickbooks_name_is_another_customer() {
    let m = Matcher::new(vec![party("80-1", "Andersen Hardware")]);
    assert_eq!(
        m.decide(&party("C-2", "Andersen Hardware 2")),
        Decision::NoCandidate,
        "QuickBooks numbers same-named customers: the number says 'another customer'"
    );
}

#[test]
fn a_quickbooks_customer_linked_to_another_app_customer_is_out_of_the_way() {
    // Issue 11, defect 2: app "Andersen Hardware" is linked to QuickBooks "Andersen
    // Hardware"; neither "Andersen Hardware 2" nor "Andersen Hardware LLC" is parked by it.
    let links = [("80-1".to_string(), "C-1".to_string())];
    let m = Matcher::new(vec![party("80-1", "Andersen Hardware")])
        .with_links(links.iter().map(|(a, b)| (a, b)));
    assert_eq!(
        m.decide(&party("C-2", "Andersen Hardware 2")),
        Decision::NoCandidate
    );
    assert_eq!(
        m.decide(&party("C-3", "Andersen Hardware LLC")),
        Decision::NoCandidate,
        "a near name of a linked record is no reason to wait"
    );
    assert_eq!(
        m.decide(&party("C-1", "Andersen Hardware")),
        Decision::Link("80-1".into()),
        "its own link still stands"
    );
}

#[test]
fn a_link_handed_out_claims_the_quickbooks_record() {
    let m = Matcher::new(vec![party("80-1", "Ecker Designs")]);
    assert_eq!(
        m.decide(&party("C-1", "Ecker Designs")),
        Decision::Link("80-1".into())
    );
    assert_eq!(
        m.decide(&party("C-9", "Ecker Designs")),
        Decision::NoCandidate,
        "a second app customer of the same name is not linked to the same record"
    );
    assert_eq!(
        m.decide(&party("C-1", "Ecker Designs")),
        Decision::Link("80-1".into()),
        "deciding again for the same customer gives the same answer"
    );
}

#[test]
fn an_exact_unique_name_still_links_beside_near_names() {
    let m = Matcher::new(vec![
        party("80-1", "Brookside Dental"),
        party("80-2", "Brookside Dental Grp"),
    ]);
    assert_eq!(
        m.decide(&party("C-1", "brookside dental")),
        Decision::Link("80-1".into())
    );
}

#[test]
fn a_company_name_is_found_even_beside_a_name_of_punctuation_only() {
    let m = Matcher::new(vec![with_company("80-1", "--", "Brookside Dental Group")]);
    assert_eq!(
        m.decide(&party("C-1", "Brookside Dental Group")),
        Decision::Link("80-1".into())
    );
}
