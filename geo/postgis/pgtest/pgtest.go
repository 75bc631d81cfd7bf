// Package pgtest gives each test its own PostGIS database, cloned from the throw-away
// cluster's template database that .ci/postgres.sh creates (NEWSMAP_TEST_DB), so that
// test packages running in parallel never see each other's builds.
package pgtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DB returns the URL of a new database with PostGIS, dropped when the test ends. Without
// NEWSMAP_TEST_DB the test is skipped, or fails when NEWSMAP_REQUIRE_TOOLS=1.
func DB(t testing.TB) string {
	t.Helper()
	base := os.Getenv("NEWSMAP_TEST_DB")
	if base == "" {
		if os.Getenv("NEWSMAP_REQUIRE_TOOLS") == "1" {
			t.Fatal("NEWSMAP_TEST_DB is not set and NEWSMAP_REQUIRE_TOOLS=1 (.ci/postgres.sh starts a cluster)")
		}
		t.Skip(`NEWSMAP_TEST_DB not set; eval "$(.ci/postgres.sh start /tmp/pg 55432)"`)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("NEWSMAP_TEST_DB: %v", err)
	}
	template := strings.TrimPrefix(u.Path, "/")
	admin := *u
	admin.Path = "/postgres"
	name := fmt.Sprintf("newsmap_t%d_%d", time.Now().UnixNano()%1e9, rand.IntN(1e6))
	exec := func(q string) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin.String())
		if err != nil {
			t.Fatalf("test database: %v", err)
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("test database: %s: %v", q, err)
		}
	}
	exec(fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", pgx.Identifier{name}.Sanitize(), pgx.Identifier{template}.Sanitize()))
	t.Cleanup(func() { exec(fmt.Sprintf("DROP DATABASE %s WITH (FORCE)", pgx.Identifier{name}.Sanitize())) })
	mine := *u
	mine.Path = "/" + name
	return mine.String()
}
