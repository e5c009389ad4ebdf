using System.Reflection;

namespace Cryptopocket.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Where the <c>cryptopocket.dll</c> under test is. In order: the <c>CRYPTOPOCKET_SERVER_DLL</c> environment variable;
/// the server's folder next to this assembly's when built with <c>--artifacts-path</c>
/// (<c>&lt;artifacts&gt;/bin/Cryptopocket.Server/&lt;config&gt;/</c>); the server's own output in the repository
/// (<c>src/Cryptopocket.Server/bin/&lt;Configuration&gt;/net10.0/</c>), in the configuration this assembly was built in.
/// </summary>
public static class ServerExecutable
{
    private const string DllName = "cryptopocket.dll";

    private static readonly Lazy<string> Located = new(Locate);

    public static string DllPath => Located.Value;

    /// <summary>The <c>dotnet</c> host to run it with: the one running the tests when the SDK says so.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Release or Debug: the configuration this test assembly itself was built in.</summary>
    public static string Configuration =>
        typeof(ServerExecutable).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration
            ? configuration
            : AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Release"
                : "Debug";

    private static string Locate()
    {
        var tried = new List<string>();
        var fromEnvironment = Environment.GetEnvironmentVariable("CRYPTOPOCKET_SERVER_DLL");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            var path = Path.GetFullPath(fromEnvironment);
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"CRYPTOPOCKET_SERVER_DLL names {path}, which does not exist.");
        }

        // --artifacts-path layout: <artifacts>/bin/Cryptopocket.EndToEnd.Tests/<pivot>/ beside <artifacts>/bin/Cryptopocket.Server/<pivot>/.
        var own = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        if (own.Parent is { Name: "Cryptopocket.EndToEnd.Tests", Parent: { } bin })
        {
            var sibling = Path.Combine(bin.FullName, "Cryptopocket.Server", own.Name, DllName);
            tried.Add(sibling);
            if (File.Exists(sibling))
            {
                return sibling;
            }
        }

        var root = RepositoryRoot();
        if (root is not null)
        {
            var inRepository = Path.Combine(root, "src", "Cryptopocket.Server", "bin", Configuration, "net10.0", DllName);
            tried.Add(inRepository);
            if (File.Exists(inRepository))
            {
                return inRepository;
            }
        }
        throw new FileNotFoundException(
            $"Cannot find {DllName}. Build src/Cryptopocket.Server ({Configuration}) or set CRYPTOPOCKET_SERVER_DLL. Tried: " +
            (tried.Count == 0 ? "(no repository root above " + AppContext.BaseDirectory + ")" : string.Join(", ", tried)));
    }

    /// <summary>The folder holding Cryptopocket.slnx, walking up from the test assembly's folder.</summary>
    public static string? RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cryptopocket.slnx")))
            {
                return directory.FullName;
            }
        }
        return null;
    }
}
