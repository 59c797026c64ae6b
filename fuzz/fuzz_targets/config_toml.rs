//! `Config` from arbitrary TOML: deserializing and building never panic, and a config that
//! builds survives a serialize/deserialize round trip unchanged.
#![no_main]

use corsgate::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(config) = toml::from_str::<Config>(text) else { return };
    let built = config.clone().build();
    if built.is_ok() {
        let again = toml::to_string(&config).expect("a valid config serializes");
        let back: Config = toml::from_str(&again).expect("and reads back");
        assert_eq!(back, config);
        assert!(back.build().is_ok());
    } else if let Err(errors) = built {
        assert!(!errors.is_empty());
        let _ = errors.to_string();
    }
});
