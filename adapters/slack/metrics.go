package slack

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	// retries counts calls tried again, by method and reason.
	retries *prometheus.CounterVec
	// failures counts calls given up on, by method and reason.
	failures *prometheus.CounterVec
	// lost counts events the handler failed on every time they were handed on.
	lost prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "perfbot_slack_api_retries_total",
			Help: "Slack Web API calls tried again, by method and reason (rate_limited, http_5xx, network).",
		}, []string{"method", "reason"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "perfbot_slack_api_failures_total",
			Help: "Slack Web API calls that failed for good, by method and Slack's reason.",
		}, []string{"method", "reason"}),
		lost: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "perfbot_slack_events_failed_total",
			Help: "Slack events acknowledged but failed by the handler on every attempt.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.retries, m.failures, m.lost)
	}
	return m
}
