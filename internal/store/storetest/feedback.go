package storetest

var feedbackTests = []suiteTest{}
