// Package hook takes business events from other systems (a deal won in the
// CRM, a ticket resolved in Jira, a merge request merged in GitLab) and asks
// the person's manager to give praise or feedback on it while it is fresh.
//
// A sender POSTs a small JSON body to [Path]:
//
//	{"person": "ada@example.com", "kind": "deal_won", "title": "ACME renewal", "url": "https://crm.example.com/deals/42"}
//
// person is an email or a platform identity ("slack:U123", or with the
// tenant, "slack:T01:U123"); kind is one of the configured kinds
// (eventkind.Defaults unless overridden); title is required and url optional.
// An event may move a key result by its id ("key_result": 42, "increment":
// 2, with "id", the event's id in the sender's system, which keys the
// update); without one, the progress entries of [Rules] may name the key
// result its kind moves, by reference ([Event.KeyResult]).
//
// Each source (jira, gitlab, crm…) has a secret of its own. A request names
// its source in X-Perfbot-Source, its send time in X-Perfbot-Timestamp (unix
// seconds) and carries X-Perfbot-Signature: "sha256=" and the hex
// HMAC-SHA256 of "timestamp.body" under the source's secret ([Sign]). A
// timestamp more than five minutes from perfbot's clock is refused, and so is
// a signature seen before: the claim is kept in the database, so replicas
// refuse each other's replays too, and a restart of Redis forgets none.
//
// Answers are JSON: 202 {"status":"accepted"} once the [Prompter] took the
// event, otherwise {"error": "...", "field": "..."} naming the header or body
// field at fault: 401 for authentication, 409 for a replay, 413 for a body
// over [MaxBody], 405 for a method other than POST, 400 for a body that is
// not a JSON object and 422 for an unknown person or kind, a missing title or
// a person with no manager. docs/hooks.md has worked examples.
//
// The tools people already use post their own webhooks instead, each
// verified by the tool's own scheme ([Connectors], at /hooks/github,
// /hooks/gitlab, /hooks/jira and /hooks/hubspot; one [Source] per tool, in
// a file of its own). What they report, and the approvals the DingTalk and
// WeCom adapters pass on ([ApprovalDelivery]), become kinds of business
// event through [Rules]; the person is found by their tool account, and an
// event for somebody perfbot does not know is kept ([Unmatched]) rather
// than dropped. Each delivery is taken once, by the tool's delivery id.
package hook
