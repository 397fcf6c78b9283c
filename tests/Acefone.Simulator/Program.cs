using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Simulator;

/// <summary>
/// dotnet Acefone.Simulator.dll [--port 0] [--parent-pid N] [--inline]
/// Prints "Acefone simulator listening on http://127.0.0.1:PORT" once ready; runs until Ctrl+C, SIGTERM,
/// or the death of the parent process.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        int port = 0;
        int? parentPid = null;
        bool inline = false;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if ((a == "--port" || a == "--parent-pid") && i + 1 < args.Length
                && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int v))
            {
                if (a == "--port") port = v; else parentPid = v;
                i++;
            }
            else if (a == "--inline")
            {
                inline = true;
            }
            else if (a is "-h" or "--help")
            {
                Console.Error.WriteLine("usage: Acefone.Simulator [--port N] [--parent-pid N] [--inline]");
                return 0;
            }
            else
            {
                Console.Error.WriteLine("Acefone.Simulator: bad argument '" + a + "'. usage: Acefone.Simulator [--port N] [--parent-pid N] [--inline]");
                return 2;
            }
        }
        if (port > 65535)
        {
            Console.Error.WriteLine("Acefone.Simulator: --port must be 0..65535");
            return 2;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        PosixSignalRegistration? sigterm = null;
        try
        {
            sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                stop.TrySetResult();
            });
        }
        catch (PlatformNotSupportedException)
        {
        }

        SimulatorHost host;
        try
        {
            host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = port, InlineScheduling = inline }).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("Acefone.Simulator: could not start: " + e.Message);
            sigterm?.Dispose();
            return 1;
        }

        await using (host.ConfigureAwait(false))
        {
            using var watchCts = new CancellationTokenSource();
            if (parentPid is { } pid) _ = WatchParentAsync(pid, stop, watchCts.Token);

            Console.Out.WriteLine("Acefone simulator listening on " + host.BaseUri.GetLeftPart(UriPartial.Authority));
            Console.Out.Flush();

            await stop.Task.ConfigureAwait(false);
            watchCts.Cancel();
        }
        sigterm?.Dispose();
        return 0;
    }

    private static async Task WatchParentAsync(int pid, TaskCompletionSource stop, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (!IsAlive(pid))
            {
                stop.TrySetResult();
                return;
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            if (p.HasExited) return false;
            if (OperatingSystem.IsLinux())
            {
                // A dead but not yet reaped parent (zombie) still has a pid.
                string stat = System.IO.File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/stat");
                int close = stat.LastIndexOf(')');
                if (close > 0 && close + 2 < stat.Length && stat[close + 2] is 'Z' or 'X') return false;
            }
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        catch (System.IO.IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exists but not inspectable: assume alive.
            return true;
        }
    }
}
