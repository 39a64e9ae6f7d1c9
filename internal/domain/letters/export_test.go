package letters

// Remedy is the sample letter of the tests, for the tests of its renderings (pdf_test.go).
var Remedy = remedy
