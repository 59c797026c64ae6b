// The tutorial's server/app.js ("How to Fix Cross-Origin Errors — CORS Error Explained",
// freeCodeCamp): Express serving GET /data, without the cors package. Two changes for the
// tests that run it (crates/corsgate-cli/tests/serve_browser.rs): it listens on the port in
// PORT (0: the system picks one; the tutorial's is 3000) on 127.0.0.1, and it exits when its
// standard input closes (the test that started it is gone) or after five minutes.
const express = require("express");
const app = express();

app.get("/data", (req, res) => {
  res.json({
    name: "Bangladesh",
    description: "Land of emotions",
  });
});

const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`Server is running on http://localhost:${server.address().port}`);
});

process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
setTimeout(() => process.exit(0), 5 * 60 * 1000).unref();
