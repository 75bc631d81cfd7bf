package site_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"newsmap/geo/layerstore"
	"newsmap/web/site"
)

// tool finds an external program; without it the test fails when
// NEWSMAP_REQUIRE_TOOLS=1 and is skipped otherwise.
func tool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("NEWSMAP_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s not found and NEWSMAP_REQUIRE_TOOLS=1 (.ci/run installs it)", names[0])
	}
	t.Skipf("%s not found", names[0])
	return ""
}

// nodeModules is where web/static/vendor.sh (npm ci) installs the pinned packages,
// among them the npm pmtiles reader.
func nodeModules(t *testing.T) string {
	t.Helper()
	nm, err := filepath.Abs("../static/node_modules")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(nm, "pmtiles", "package.json")); err != nil {
		if os.Getenv("NEWSMAP_REQUIRE_TOOLS") == "1" {
			t.Fatalf("npm pmtiles not installed in %s (cd web/static && npm ci) and NEWSMAP_REQUIRE_TOOLS=1", nm)
		}
		t.Skipf("npm pmtiles not installed in %s; cd web/static && npm ci", nm)
	}
	return nm
}

// publish writes the site of the layers in dir into a new world-readable folder (static
// servers' workers often run as another user).
func publish(t testing.TB, dir string, opts site.Options) (string, site.Report) {
	t.Helper()
	st, err := layerstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	root, err := os.MkdirTemp("", "newsmap-site-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "site")
	rep, err := site.Publish(context.Background(), st.Layers(), out, opts)
	if err != nil {
		t.Fatal(err)
	}
	return out, rep
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// nginx serves root on a loopback port until the test ends; it returns the base URL
// and the access log's path.
func nginx(t *testing.T, root string) (string, string) {
	t.Helper()
	bin := tool(t, "nginx", "/usr/sbin/nginx")
	work, err := os.MkdirTemp("", "newsmap-nginx-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(work) })
	port := freePort(t)
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // workers read the test's files
	}
	conf := fmt.Sprintf(`%s
daemon off;
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log %[2]s/access.log;
  client_body_temp_path %[2]s;
  proxy_temp_path %[2]s;
  fastcgi_temp_path %[2]s;
  uwsgi_temp_path %[2]s;
  scgi_temp_path %[2]s;
  server {
    listen 127.0.0.1:%[3]d;
    root %[4]s;
  }
}
`, user, work, port, root)
	cf := filepath.Join(work, "nginx.conf")
	if err := os.WriteFile(cf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-c", cf, "-e", filepath.Join(work, "error.log"))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(10 * time.Second); ; {
		resp, err := http.Get(base + "/index.json")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(filepath.Join(work, "error.log"))
			t.Fatalf("nginx did not serve %s: %v\n%s", base, err, b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return base, filepath.Join(work, "access.log")
}
