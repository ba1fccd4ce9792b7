// Package lint holds the project's house rules as ordinary tests, so that
// `go test ./...` enforces them:
//
//   - TestPackageDocs: every package has exactly one package doc comment,
//     and it is in doc.go.
//   - TestDeps: imports follow the dependency direction of STYLE.md
//     section 2 (conflict is stdlib-only, storage/item and storage/expr
//     use no third-party code, storage knows nothing of the layers above
//     it, and only cmd/ and test/ import region).
//
// The package has no non-test code; nothing imports it. The tests run
// `go list` on the module, so they need the go command on PATH.
package lint
