//! The workload: distributions, arrival patterns and CSV traces.

use batchscale::sim::LoadedScenario;
use batchscale::sim::Workload;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const MIN: i64 = 60_000;

fn workload(toml: &str) -> Workload {
    let loaded = LoadedScenario::parse("w.toml", toml).unwrap();
    Workload::build(&loaded, &mut ChaCha8Rng::seed_from_u64(1)).unwrap()
}

fn durations(dist: &str, n: u32) -> Vec<i64> {
    let w = workload(&format!("[[job]]\ntasks = {n}\nduration = {dist}\n"));
    w.tasks.iter().map(|t| t.duration).collect()
}

#[test]
fn distributions_stay_in_their_ranges() {
    assert!(durations(r#"{ fixed = "PT10M" }"#, 5)
        .iter()
        .all(|&d| d == 10 * MIN));
    let u = durations(r#"{ uniform = { min = "PT30M", max = "PT2H" } }"#, 2000);
    assert!(u.iter().all(|&d| (30 * MIN..=120 * MIN).contains(&d)));
    // Mean 75 min; the standard error of 2000 draws is under half a minute.
    let mean = u.iter().sum::<i64>() as f64 / u.len() as f64 / MIN as f64;
    assert!((mean - 75.0).abs() < 2.0, "{mean}");
    let e = durations(r#"{ empirical = ["PT4M", "PT9M"] }"#, 200);
    assert!(e.iter().all(|&d| d == 4 * MIN || d == 9 * MIN));
    assert!(e.contains(&(4 * MIN)) && e.contains(&(9 * MIN)));
    let n = durations(r#"{ normal = { mean = "PT1M", std_dev = "PT2M" } }"#, 500);
    assert!(n.iter().all(|&d| d >= 0));
    assert!(n.contains(&0), "draws below 0 become 0");
    // Lognormal with mean 40 min and deviation 10 min: the sample mean of
    // 10,000 draws is within 0.5 min (5 standard errors).
    let l = durations(
        r#"{ lognormal = { mean = "PT40M", std_dev = "PT10M" } }"#,
        10_000,
    );
    let mean = l.iter().sum::<i64>() as f64 / l.len() as f64 / MIN as f64;
    assert!((mean - 40.0).abs() < 0.5, "{mean}");
    assert!(l.iter().all(|&d| d > 0));
}

#[test]
fn poisson_arrivals_follow_the_rate() {
    let w = workload(
        r#"[[job]]
        submit = "PT1H"
        tasks = 1000
        duration = { fixed = "PT1M" }
        arrival = { poisson = { rate_per_hour = 60 } }"#,
    );
    let arrivals: Vec<i64> = w.tasks.iter().map(|t| t.arrival).collect();
    assert!(arrivals.windows(2).all(|p| p[0] <= p[1]));
    assert!(arrivals[0] >= 60 * MIN);
    // 1000 gaps of mean 1 minute: 1000 minutes after the submission, with a
    // standard deviation of about 32 minutes.
    let last = (arrivals[999] - 60 * MIN) as f64 / MIN as f64;
    assert!((last - 1000.0).abs() < 160.0, "{last}");
}

#[test]
fn daily_arrivals_fall_in_the_hours_with_a_rate() {
    let mut rates = vec!["0"; 24];
    rates[9] = "30";
    let w = workload(&format!(
        "start = \"2025-01-06T00:00:00Z\"\n[[job]]\ntasks = 200\nduration = {{ fixed = \"PT1M\" }}\narrival = {{ daily = {{ rate_per_hour = [{}] }} }}\n",
        rates.join(", ")
    ));
    for t in &w.tasks {
        let hour_of_day = (t.arrival / (60 * MIN)) % 24;
        assert_eq!(hour_of_day, 9, "arrival at {} ms", t.arrival);
    }
}

#[test]
fn stages_with_dependencies_arrive_blocked_at_submission() {
    let w = workload(
        r#"[[job]]
        submit = "PT10M"
        [[job.stage]]
        name = "a"
        tasks = 3
        duration = { fixed = "PT1M" }
        [[job.stage]]
        name = "b"
        tasks = 3
        depends_on = "a"
        duration = { fixed = "PT1M" }"#,
    );
    assert_eq!(w.tasks.len(), 6);
    let unmet: Vec<u32> = w.tasks.iter().map(|t| t.unmet).collect();
    assert_eq!(unmet, [0, 0, 0, 1, 1, 1]);
    assert!(w.tasks.iter().all(|t| t.arrival == 10 * MIN));
}

fn trace_dir(name: &str, csv: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("batchscale-trace-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("trace.csv"), csv).unwrap();
    std::fs::write(
        dir.join("s.toml"),
        "[pool]\ntask_slots_per_node = 2\n[[job]]\nsubmit = \"PT1M\"\ntrace = \"trace.csv\"\n",
    )
    .unwrap();
    dir
}

#[test]
fn a_csv_trace_gives_submit_times_durations_and_slots() {
    let dir = trace_dir(
        "good",
        "submit_time,duration,slots\n0,600,\nPT5M,PT10M,2\n2025-01-06T01:00:00Z,90.5,1\n",
    );
    let loaded = LoadedScenario::read(dir.join("s.toml").to_str().unwrap()).unwrap();
    let w = Workload::build(&loaded, &mut ChaCha8Rng::seed_from_u64(0)).unwrap();
    let rows: Vec<(i64, i64, u16)> = w
        .tasks
        .iter()
        .map(|t| (t.arrival, t.duration, t.slots))
        .collect();
    // Offsets count from the job's submission (1 min); instants from the start.
    assert_eq!(
        rows,
        [
            (MIN, 10 * MIN, 1),
            (6 * MIN, 10 * MIN, 2),
            (60 * MIN, 90_500, 1)
        ]
    );
}

#[test]
fn a_bad_trace_row_names_the_file_line_and_column() {
    let dir = trace_dir("bad", "submit_time,duration\n0,600\n30,ten minutes\n");
    let loaded = LoadedScenario::read(dir.join("s.toml").to_str().unwrap()).unwrap();
    let err = Workload::build(&loaded, &mut ChaCha8Rng::seed_from_u64(0)).unwrap_err();
    let path = dir.join("trace.csv");
    assert_eq!(
        err.to_string(),
        format!(
            "{}:3: duration: `ten minutes` is not seconds of 0 or more or an ISO 8601 duration",
            path.display()
        )
    );
    let dir = trace_dir("header", "time,duration\n0,600\n");
    let loaded = LoadedScenario::read(dir.join("s.toml").to_str().unwrap()).unwrap();
    let err = Workload::build(&loaded, &mut ChaCha8Rng::seed_from_u64(0)).unwrap_err();
    assert!(
        err.to_string().ends_with(
            ":1: unknown column `time`; the columns are `submit`, `duration` and optionally `slots`, `job`, `exit_code`"
        ),
        "{err}"
    );
}

#[test]
fn too_many_tasks_is_an_error_not_an_allocation() {
    let loaded = LoadedScenario::parse(
        "w.toml",
        "[[job]]\ntasks = 10000000000\nduration = { fixed = \"PT1M\" }\n",
    )
    .unwrap();
    let err = Workload::build(&loaded, &mut ChaCha8Rng::seed_from_u64(1)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "w.toml: job[0].tasks: 10000000000 tasks brings the scenario past the simulator's limit of 20000000 tasks"
    );
}
