namespace Cryptopocket.Bench;

/// <summary>A command line the benchmark cannot run with; the message says what is wrong.</summary>
public sealed class BenchUsageException(string message) : Exception(message);

/// <summary>A phase could not be run (a step failed, a wait timed out); the benchmark stops and cleans up.</summary>
public sealed class BenchFailedException(string message) : Exception(message);
