// Package dashboard serves perfbot's insight pages for managers and HR, and
// renders the charts they and the weekly digest show.
//
// Nobody signs in with a password. A person types "dashboard" (看板) in
// chat and gets a link ([Links.Mint]): signed, bound to them, good for ten
// minutes and for one sign-in, the one use claimed in the database so every
// replica agrees. Opening it shows a button; pressing it (a same-origin
// POST, so a chat platform's link preview spends nothing) trades the link
// for a session cookie (HttpOnly, SameSite=Strict, Secure over TLS) and
// the pages. Every page and download is a GET that changes nothing, and the
// two POSTs refuse cross-origin requests.
//
// Every number is read through the store's insight queries as the viewer
// (store.InsightStore): a manager sees their subtree, HR everyone, an
// employee their own page. Mood and other sensitive aggregates of a group
// smaller than the configured minimum are withheld. Pages are HTML with
// charts drawn on the server as SVG; they need no JavaScript, fonts or
// anything from another host. Each view's table downloads as CSV or XLSX,
// exactly as shown.
//
// The goal warnings among the warnings are the ones the scheduler sends,
// evaluated by the same code (internal/okr) under each team's rules, and
// the goals view calls slipping what they are about.
package dashboard
