"""Every default the SDK uses, in one place.

Each one can be overridden per client (constructor argument) and, where it
makes sense, per call (``client.with_options(...)`` or a method argument).
"""

from __future__ import annotations

BASE_URL = "https://api.infomaniak.com"
TOKEN_ENV = "INFOMANIAK_API_TOKEN"
BASE_URL_ENV = "INFOMANIAK_BASE_URL"

# Seconds for a whole request (connect + send + read).
TIMEOUT = 30.0
# Seconds to establish the TCP/TLS connection.
CONNECT_TIMEOUT = 10.0

# Retries after the first attempt; 0 disables retrying.
MAX_RETRIES = 2
# Exponential backoff: INITIAL * 2**attempt, capped, with full jitter.
BACKOFF_INITIAL = 0.5
BACKOFF_MAX = 8.0
# A Retry-After longer than this is not waited for: the error is raised instead.
RETRY_AFTER_MAX = 60.0

# The API allows 60 requests per minute (developer.infomaniak.com/getting-started).
RATE_LIMIT_PER_MINUTE = 60

# Items requested per page when walking a list.
PER_PAGE = 100
# Most pages fetched ahead while an async caller iterates (the blocking client
# stays lazy). The window grows from 1 with each page the caller takes, so a
# caller that stops early leaves at most as many pages unread as it read.
PREFETCH_PAGES = 8

# Connections kept open per host.
MAX_CONNECTIONS = 100

# The longest duration any setting or argument accepts, in seconds (a year).
# Far below what timers can hold (threading.TIMEOUT_MAX): a huge value is a
# mistake, and it would break the timers that enforce timeouts.
MAX_SECONDS = 365 * 24 * 3600.0

# Waiting for long operations (seconds).
WAIT_TIMEOUT = 600.0
POLL_INTERVAL = 1.0
POLL_INTERVAL_MAX = 10.0
