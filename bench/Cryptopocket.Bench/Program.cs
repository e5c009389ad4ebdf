using Cryptopocket.Bench;
using Cryptopocket.Bench.Baselines;
using System.Runtime.InteropServices;
using Cryptopocket.Bench.Processes;

// Two roles in one program: "run" is the benchmark (docs/performance.md), "bare" is the bare ASP.NET Core baseline it
// starts as a separate process so that the framework's ceiling is measured without anything of Cryptopocket in it.
ChildProcesses.KillAllOnExit();
// SIGTERM (run.sh's trap, a CI timeout) or Ctrl+C: stop every child, drop the run's databases, exit. Handled here
// because the webhook receiver's host would otherwise take the signal for itself and leave the run going.
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Abort.Handle);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Abort.Handle);
try
{
    return args.FirstOrDefault() switch
    {
        "bare" => await BareEndpoint.RunAsync(args[1..]),
        "run" => await BenchRun.RunAsync(BenchSettings.Parse(args[1..])),
        "load" => await Cryptopocket.Bench.Load.AdHocLoad.RunAsync(args[1..]),
        _ => Usage(),
    };
}
catch (BenchUsageException exception)
{
    Console.Error.WriteLine(exception.Message);
    return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("""
        Usage:
          cryptopocket-bench run --server-dll PATH --repo DIR --pg "Host=…;Port=…;Username=…" [options]
          cryptopocket-bench bare --port N
          cryptopocket-bench load --url URL [--header "name: value"]… [--body JSON [--values a,b,…]] [--connections N] [--duration S] [--warmup S]
        Options of run:
          --smoke              everything in seconds, tiny counts, targets not enforced, docs not written
          --duration SECONDS   measured window of each HTTP load phase (default 10; smoke 1)
          --warmup SECONDS     warm-up before each window (default 15, the server's tiered JIT settling; smoke 0.5)
          --connections N      concurrent connections of the load generator and pgbench clients (default 64)
          --transfers N        purchases settled, and plain transfers of the chain baseline (default 1000; smoke 20)
          --webhook-events N   at most this many events in the webhook burst, warm-up included (default 50000; smoke 2000)
          --integrations N     partners seeded (default 8; smoke 2)
          --customers N        KYC-approved customers buying in the createGuidedPayment phase (default: 16 × connections)
          --docs FILE          where to write the results table (default: none; run.sh passes docs/performance.md)
          --command TEXT       the command line to record in the docs
          --work-dir DIR       where data dirs and logs go (default: a new folder under /tmp)
          --server-env N=V     environment for the server processes only (repeatable), to measure a runtime setting
          --keep-database      keep the server's database afterwards (for EXPLAIN ANALYZE on what the run left)
          --source-note TEXT   what the measured server is, for the report (run.sh sets it for BENCH_SERVER_DLL)
          --db-options TEXT    Npgsql settings appended to the server's connection string, e.g. "Max Auto Prepare=20"
        See docs/performance.md.
        """);
    return 2;
}
