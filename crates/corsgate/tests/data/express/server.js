// The tutorials' Express server with the npm `cors` package, for corsgate's differential
// test (crates/corsgate/tests/express_cors.rs).
//
//   node server.js '<cors options as JSON>'      (or CORS_OPTIONS='<json>' node server.js)
//
// Listens on 127.0.0.1, port 0 (the system picks one), and prints `port <N>` on stdout once it
// is listening. Exits when its standard input closes (the test that started it is gone) or
// after five minutes, whichever comes first.
//
// JSON has no RegExp or function, so two tagged objects stand for them in `origin` (at the
// top or as an element of an array):
//   {"$regexp": "<source>", "flags": "<flags>"}             -> new RegExp(source, flags)
//   {"$function": {"allow": [<origins>], "reject": "false"}}  -> origin(origin, cb) calling
//       cb(null, true) for a listed origin and cb(null, false) for any other;
//       with "reject": "error" it calls cb(new Error("Not allowed by CORS")) instead.
'use strict';

const express = require('express');
const cors = require('cors');

const LIFETIME_MS = 5 * 60 * 1000;

function decodeOrigin(value) {
  if (Array.isArray(value)) {
    return value.map(decodeOrigin);
  }
  if (value && typeof value === 'object' && typeof value.$regexp === 'string') {
    return new RegExp(value.$regexp, value.flags || '');
  }
  if (value && typeof value === 'object' && value.$function) {
    const allow = value.$function.allow || [];
    const reject = value.$function.reject || 'false';
    return function (origin, callback) {
      if (allow.indexOf(origin) !== -1) {
        callback(null, true);
      } else if (reject === 'error') {
        callback(new Error('Not allowed by CORS'));
      } else {
        callback(null, false);
      }
    };
  }
  return value;
}

function readOptions() {
  const text = process.argv[2] !== undefined ? process.argv[2] : process.env.CORS_OPTIONS;
  if (text === undefined) {
    return undefined; // cors() with no argument: the package's defaults
  }
  const options = JSON.parse(text);
  if (options && Object.prototype.hasOwnProperty.call(options, 'origin')) {
    options.origin = decodeOrigin(options.origin);
  }
  return options;
}

const app = express();
app.use(cors(readOptions()));

// The seeds' routes.
function data(req, res) {
  res.json({ name: 'Bangladesh', description: 'Land of emotions' });
}
app.get('/data', data);
app.put('/data', data);
// What an app that answers OPTIONS itself looks like: reached by `preflightContinue`, and by
// OPTIONS requests that `cors` passes on. The axum app in the test has the same route, so the
// two inner apps answer alike and only the CORS layers differ.
app.options('/data', (req, res) => {
  res.status(200).type('text/plain').send('options route');
});

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`port ${server.address().port}\n`);
});
server.on('error', (err) => {
  process.stderr.write(`server.js: ${err.stack || err}\n`);
  process.exit(1);
});

// Never outlive the test.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
setTimeout(() => process.exit(0), LIFETIME_MS).unref();
