import { CopyButton } from "@/components/ui/copy-button";

/**
 * The ids a transfer_control action names (`targetBotId`): the organization's other bots. Ids are
 * not shown anywhere else a flow author looks.
 */
export function TransferTargets({ bots, organizationName }: { bots: { id: string; name: string }[]; organizationName: string }) {
  return (
    <section className="mt-6 flex flex-col gap-2 text-sm" aria-labelledby="transfer-targets">
      <h2 id="transfer-targets" className="text-lg font-semibold">
        Transfer targets
      </h2>
      {bots.length === 0 ? (
        <p className="text-gray-600">{organizationName} has no other bot to transfer to. Add one to hand conversations over.</p>
      ) : (
        <>
          <p className="text-gray-700">
            Use a bot&apos;s id as <code className="font-mono">targetBotId</code> in a <code className="font-mono">transfer_control</code> action.
          </p>
          <ul className="flex flex-col gap-1" data-testid="transfer-targets">
            {bots.map((bot) => (
              <li key={bot.id} className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{bot.name}</span>
                <code className="break-all rounded bg-gray-100 px-1.5 py-0.5 font-mono">{bot.id}</code>
                <CopyButton text={bot.id} label="Copy id" />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
