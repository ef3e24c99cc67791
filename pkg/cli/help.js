// The help of each command (`dms-webhook <command> --help`).
export const HELP = {
  main: `Usage: dms-webhook <command> [options]

Receive, send and verify Alibaba Cloud DMS custom-webhook notifications, checking their
HMAC_SHA1 signatures exactly as DMS's own Java receiver does.

Commands:
  listen   run a verifying receiver (and a private page that shows what arrives)
  send     send a notification like the DMS console's Test button
  verify   verify a saved request body

Run "dms-webhook <command> --help" for a command's options.

Options:
  -h, --help      show this help
  -v, --version   print the version

Exit status: 0 success, 1 failure (see each command), 2 usage error.
`,
  listen: `Usage: dms-webhook listen [--port 8000] [--host 127.0.0.1] [--url URL] [--secret-file FILE]

Receives DMS notifications at any path (POST), verifies them and answers in DMS's format
({"root":"","success":true} or {"root":"<code>: <message>","success":false} with a 4xx).
Each delivery is printed on one line: time, verdict (OK or the error code),
category/module/event, task and message (characters that could disguise a line are shown
as <U+XXXX>).

The webhook endpoint is open: DMS must reach it. What shows the deliveries is private:
GET / (the paste-and-verify page, which lists deliveries as they arrive) and GET /events (a
stream of them as Server-Sent Events) need the dashboard token, and answer only to an IP
address, localhost, the host of --url or an --allowed-host. The token is made up for each
run and printed as part of the page's address (?token=...); the page keeps it in a cookie.
Scripts can send "Authorization: Bearer <token>".

Replays: an eventTime further than --max-age from now is refused (EVENT_TOO_OLD or
EVENT_IN_FUTURE), and so is a signed body without eventTime (DMS always sends one). A
repeat of a delivery already received within that window is answered success (so DMS stops
retrying) but not shown as new (DUPLICATE).

Options:
  --port N               port to listen on (default 8000; 0 picks a free one)
  --host H               address to listen on (default 127.0.0.1)
  --url URL              the webhook URL exactly as configured in DMS; signatures are made
                         with it (default http://<host>:<port>/; also DMS_WEBHOOK_URL)
  --secret-file FILE     the signing password set in DMS, one per line (several while
                         rotating); or the environment variable DMS_WEBHOOK_SECRET.
                         Without one, a random secret is made up and written to a private
                         file whose path is printed.
  --secret S             the same on the command line (repeatable). Avoid it: every user of
                         this machine can read a command line (ps).
  --dashboard-token-file FILE  the dashboard token (or DMS_WEBHOOK_DASHBOARD_TOKEN;
                         --dashboard-token T); default: a new random one each run
  --allowed-host NAME    a host name the page may be opened by (repeatable)
  --max-age DURATION     how far eventTime may be from now: 1h by default; e.g. 15m, 24h;
                         "off" accepts any eventTime (and keeps de-duplicating for a week)
  --allow-unsigned       accept notifications sent with signatureMethod None
  --max-body-bytes N     refuse larger bodies (default 1048576)
  -h, --help             show this help

Limits: a body must arrive within 10 s (else 408) and headers within 10 s; at most 64 MiB
of bodies (or one --max-body-bytes, if larger) are held at once (beyond it, 503 and DMS
retries); the page keeps 8 MiB of deliveries (refused bodies cut to 64 KiB); at most 16
streams, each dropped when 8 MiB are queued for it. A refusal before the body was read
closes the connection. On Ctrl-C or SIGTERM it stops accepting, answers what is in flight
and exits within 5 s.

Exit status: 0 when stopped by Ctrl-C or SIGTERM, 1 when it cannot listen, 2 usage error.
`,
  send: `Usage: dms-webhook send URL [--secret-file FILE] [--configured-url U] [--event FILE]

Sends a notification exactly like the DMS console's Test button: POST with the headers
"DMS-Event: Message Hook" and "Content-Type: application/json", signed with HMAC_SHA1,
carrying the test message "【DMS数据管理】Webhook test, code: NNNNNN" (a random 6-digit code)
and the current time as eventTime, or the event in FILE. user:pass@ in URL is sent as HTTP
basic authentication (and, as in DMS, is part of the URL that is signed). Prints the status
and the response, and says whether the response follows DMS's format. Credentials in URLs
are not printed.

Options:
  --secret-file FILE   the signing password (first line of FILE); or DMS_WEBHOOK_SECRET
  --secret S           the same on the command line (visible to other users in ps)
  --configured-url U   sign for this URL (the one configured in DMS) instead of URL, for
                       example when sending to a local port behind a proxy or tunnel
  --event FILE         the messageEvent to send: a JSON object, or a whole DMS body whose
                       messageEvent is taken; "-" reads standard input
  --unsigned           send with signatureMethod None (the DMS console's default)
  --tamper             change the event after signing it (a receiver must refuse it)
  --timeout SECONDS    give up after this long (default 10)
  -h, --help           show this help

A secret is required unless --unsigned.

Exit status: 0 when the receiver accepted it ({"success":true} with a 2xx status),
1 when it refused it, answered outside DMS's format or could not be reached, 2 usage error.
`,
  verify: `Usage: dms-webhook verify --url U [--secret-file FILE] [FILE|-]

Verifies a saved request body (from FILE, or standard input when FILE is "-" or absent)
against the webhook URL and signing password(s) configured in DMS. When it is not authentic,
prints why: the error, how the body was read, and hints such as a trailing slash missing from
the URL (the expected signature is never printed). The event's age is not checked.

Options:
  --url U             the webhook URL exactly as configured in DMS (repeatable)
  --secret-file FILE  the signing password(s), one per line; or DMS_WEBHOOK_SECRET
  --secret S          the same on the command line (repeatable; visible to other users in ps)
  --allow-unsigned    accept a body sent with signatureMethod None
  -h, --help          show this help

Exit status: 0 authentic, 1 not authentic (or not a valid DMS body), 2 usage error
(missing --url or secret, unreadable file, unknown option).
`,
};
