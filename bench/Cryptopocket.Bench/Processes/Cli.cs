using System.Diagnostics;
using System.Text.Json;

namespace Cryptopocket.Bench.Processes;

/// <summary>What one run of a command printed.</summary>
public sealed record CliResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"$ {CommandLine}\nexit code {ExitCode}\n--- stdout ---\n{Stdout}--- stderr ---\n{Stderr}";

    /// <summary>Stdout as one JSON document (the commands' <c>--json</c> form); throws with the whole run otherwise.</summary>
    public JsonElement Json()
    {
        if (ExitCode != 0)
        {
            throw new BenchFailedException($"Command failed.\n{this}");
        }
        try
        {
            using var document = JsonDocument.Parse(Stdout);
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new BenchFailedException($"Expected JSON ({exception.Message}).\n{this}");
        }
    }
}

/// <summary>Runs programs to completion: the <c>cryptopocket</c> executable as an operator would, psql, pgbench.</summary>
public static class Cli
{
    public static ProcessStartInfo Dotnet(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Only the arguments decide where the data lives, never a CRYPTOPOCKET_* variable of the caller's shell.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("CRYPTOPOCKET_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        return start;
    }

    public static async Task<CliResult> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        var commandLine = string.Join(' ', new[] { Path.GetFileName(start.FileName) }.Concat(start.ArgumentList.Select(Quote)));
        using var process = new Process { StartInfo = start };
        process.Start();
        ChildProcesses.Register(process);
        try
        {
            return await WaitAsync(process, commandLine, timeout);
        }
        finally
        {
            ChildProcesses.Unregister(process);
        }
    }

    private static async Task<CliResult> WaitAsync(Process process, string commandLine, TimeSpan timeout)
    {
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new BenchFailedException($"{commandLine} did not finish within {timeout.TotalSeconds:0} s.\n{await stdout}\n{await stderr}");
        }
        return new CliResult(commandLine, process.ExitCode, await stdout, await stderr);
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is ';' or '"' or '\'') ? argument : $"'{argument}'";
}
