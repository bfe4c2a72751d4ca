package hook

import (
	"github.com/perfbot/perfbot/bot"
)

// ApprovalApproved is the occurrence of a DingTalk or WeCom approval (审批)
// that finished approved. Project is the approval's form (WeCom's name,
// 转正申请; DingTalk's process code, PROC-…), for the rules to tell them
// apart.
const ApprovalApproved = "approval.approved"

// ApprovalDelivery maps an approval event, as the DingTalk and WeCom
// adapters translate their callbacks, to a delivery for Take: one that
// finished approved credits its applicant; any other is of no interest.
// The adapters only translate; what an approval means is decided here and
// by the rules.
func ApprovalDelivery(ev bot.Event) Delivery {
	a := ev.Approval
	d := Delivery{ID: ev.From.Tenant + ":" + ev.ID}
	if ev.Kind != bot.KindApproval || a == nil || !a.Approved {
		return d
	}
	title := a.Title
	if title == "" {
		title = a.Form + " " + a.ID
	}
	d.Events = []Occurrence{{Event: ApprovalApproved, Project: a.Form, Accounts: []bot.Identity{ev.From},
		Title: title, URL: a.URL}}
	return d
}
