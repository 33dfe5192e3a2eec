"use client";
import type { LayerNetwork } from "@/server/config/layer-model";
import { ElementForm, type ElementTarget } from "./element-form";
import { NetworkFields, networkInitial } from "./network-fields";

export function NetworkForm({ target, network }: { target: ElementTarget; network?: LayerNetwork }) {
  return (
    <ElementForm kind="network" target={target} label={network ? "Edit network mapping" : "Add a network mapping"} submitLabel={network ? "Save mapping" : "Add mapping"}>
      {(errors, id) => <NetworkFields prefix="" idPrefix={id} initial={networkInitial(network)} errors={errors} />}
    </ElementForm>
  );
}
