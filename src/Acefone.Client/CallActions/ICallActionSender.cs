using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// Sends a call action for a caller that wraps it (the bulk run, which records each row in its journal): called
    /// back with the typed request, so the task a row waits on is the request's own typed one, with no wrapper per row.
    /// The call actions know nothing of the journal or the run; the run knows them.
    /// </summary>
    internal interface ICallActionSender
    {
        Task<TResult> Send<TResult>(CallActionRequest<TResult> request, long row) where TResult : class;
    }
}
