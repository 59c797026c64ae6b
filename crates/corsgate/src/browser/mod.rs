//! The browser side of CORS: the Fetch standard's algorithm as browsers run it.
