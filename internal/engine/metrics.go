package engine

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/perfbot/perfbot/bot"
)

type metrics struct {
	events    *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	sent      *prometheus.CounterVec
	conflicts prometheus.Counter
	leaseWait prometheus.Counter
}

func newMetrics(r prometheus.Registerer) *metrics {
	m := &metrics{
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "perfbot_events_total", Help: "Inbound events by platform, kind and outcome.",
		}, []string{"platform", "kind", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "perfbot_event_seconds", Help: "Time to handle an inbound event.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 10),
		}, []string{"platform"}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "perfbot_messages_sent_total", Help: "Outbound messages by platform and result.",
		}, []string{"platform", "result"}),
		conflicts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "perfbot_dialog_conflicts_total", Help: "Steps retried because another event for the same person won.",
		}),
		leaseWait: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "perfbot_lease_waits_total", Help: "Times an event found its person's lease taken and waited.",
		}),
	}
	if r != nil {
		r.MustRegister(m.events, m.latency, m.sent, m.conflicts, m.leaseWait)
	}
	return m
}

func (m *metrics) observe(ev bot.Event, outcome string, took time.Duration) {
	m.events.WithLabelValues(string(ev.From.Platform), string(ev.Kind), outcome).Inc()
	m.latency.WithLabelValues(string(ev.From.Platform)).Observe(took.Seconds())
}
