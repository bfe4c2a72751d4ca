// Package demo is a small, made-up organisation to try perfbot with: the
// simulator and a fresh data directory are all it needs.
//
// Wang Fang (王芳) leads People & Operations and is perfbot's HR and admin.
// Two managers report to her: Li Wei (李伟) runs the Platform team from
// Shanghai, Anna Schmidt the "增长 Growth" team from Berlin. Their six
// reports work from Shanghai, Singapore, Berlin, Rome and New York, half in
// Chinese and half in English, so every locale and a spread of time zones
// and deadlines show up in a demo. Everyone has a simulator id (li.wei,
// anna, ...) to chat as.
package demo
