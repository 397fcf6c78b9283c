using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;
using Acefone.Simulator;
using Xunit;

namespace Acefone.Client.Tests
{
    public class SimulatorStoppingTests
    {
        [Fact]
        public async Task The_API_going_away_halfway_resends_nothing_that_may_have_gone_out()
        {
            SimulatorHost simulator = await SimulatorHost.StartAsync();
            simulator.State.UpdateConfig(c => c with { LatencyMs = 10 });
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(300);
            using AcefoneSession session = Sessions.ForSimulator(simulator, configure: o => o.MaxRetries = 2);
            var outcomes = new ConcurrentDictionary<string, string>();
            using var gate = new SemaphoreSlim(8);
            Task stopper = Task.Run(async () =>
            {
                while (simulator.State.GetStats().Received < 100) await Task.Delay(5);
                await simulator.DisposeAsync();
            });

            await Task.WhenAll(calls.Select(async id =>
            {
                await gate.WaitAsync();
                try
                {
                    await session.InvokeCallOptionAsync(Sessions.Transfer(id, "8004"));
                    outcomes[id] = "Success";
                }
                catch (AcefoneException ex)
                {
                    outcomes[id] = ex.Kind.ToString();
                }
                finally
                {
                    gate.Release();
                }
            }));
            await stopper;

            Assert.Equal(300, outcomes.Count);
            Assert.All(outcomes.Values, kind => Assert.Contains(kind, new[] { "Success", "OutcomeUnknown", "NetworkError" }));
            Assert.Contains("NetworkError", outcomes.Values);

            // The state outlives the server: every call it processed was either answered or reported unknown,
            // never reported as "nothing was sent"; and none was processed twice.
            List<string> processed = simulator.State.GetRequests("/v1/call/options").Where(r => r.Processed)
                .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("call_id").GetString()!).ToList();
            Assert.Equal(processed.Count, processed.Distinct().Count());
            Assert.Equal(0, simulator.State.GetStats().DuplicateProcessed);
            foreach (string id in processed) Assert.NotEqual("NetworkError", outcomes[id]);
            foreach (var pair in outcomes.Where(p => p.Value == "Success")) Assert.Contains(pair.Key, processed);
        }
    }
}
