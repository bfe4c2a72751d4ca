package conversations

import (
	"strconv"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// Progress from business systems (issue 13): a business event the hook
// took moves a key result of the person it credits, by itself. The engine
// reads the person's goals, BusinessProgress decides, and the engine
// applies the effects in one transaction.

// AutoStep is what a business event asks of the goals: move a key result,
// named by its id (the sender of /hooks/events named it) or by its
// reference (a rule of the rules file did), by By.
type AutoStep struct {
	KeyResultID int64
	Ref         string
	By          float64
	// Source says what moved it, for the record and the owner: the
	// event's kind and title.
	Source string
	// Key is the event's own key (its delivery, or the id its sender gave
	// it): the update is keyed by it, so the event delivered twice adds
	// once.
	Key string
	At  time.Time
}

// BusinessProgress decides what step does to owner's goals, as read (all
// of theirs; only agreed ones in their period count): each key result it
// names moves by step.By, automatically and audited as such, and the
// owner is told that it moved by itself. It reports false, and decides
// nothing, when no agreed goal of theirs has the key result: a key result
// of somebody else's is never moved by an event that credits owner.
func BusinessProgress(cat *i18n.Catalog, owner bot.Person, goals []store.Objective, step AutoStep) (Result, bool) {
	var res Result
	day := step.At.Format(time.DateOnly)
	t := cat.For(owner.Locale)
	for _, o := range goals {
		if o.OwnerID != owner.ID || !o.Counts() || (o.Starts != "" && day < o.Starts) || (o.Ends != "" && day > o.Ends) {
			continue
		}
		for _, k := range o.KeyResults {
			if !(step.KeyResultID != 0 && k.ID == step.KeyResultID) && !(step.KeyResultID == 0 && step.Ref != "" && k.Ref == step.Ref) {
				continue
			}
			key := step.Key + ":kr:" + strconv.FormatInt(k.ID, 10)
			res.Effects = append(res.Effects, AutoProgress(k.ID, step.By, step.Source, key, step.At))
			res.Out = append(res.Out, to(owner.ID, bot.Message{
				Text: t.T("goal.auto_moved", "KR", bot.Neutralize(k.Title), "By", "+"+num(step.By),
					"Unit", bot.Neutralize(k.Unit), "Target", num(k.Target), "Source", bot.Neutralize(step.Source)),
			}))
		}
	}
	return res, len(res.Effects) > 0
}

// Created reports whether Apply recorded the update: false for an event
// delivered before, whose update was kept then.
func (e *AddProgress) Created() bool { return e.created }
