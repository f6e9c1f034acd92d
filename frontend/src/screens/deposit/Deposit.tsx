// Déposer: drop (or choose) an XML or PDF, read the hub's preview at once, then deposit it for real.
// File names and everything in the report come from the depositor or the document: text only.
import { useEffect, useId, useRef, useState } from "react";
import type { DragEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation } from "urql";

import { graphql } from "../../gql";
import type { PreviewInvoiceMutation, SubmitInvoiceMutation } from "../../gql/graphql";
import type { Attempt } from "./idempotency";
import { keyFor, withKey } from "./idempotency";
import { ProblemList } from "./Problems";
import type { Addressing } from "./RecipientPicker";
import { NO_ADDRESSING, RecipientPicker } from "./RecipientPicker";

const Preview = graphql(`
  mutation PreviewInvoice($input: PreviewInvoiceInput!) {
    previewInvoice(input: $input) {
      accepted
      number
      recipientIdentifier
      serviceCode
      userErrors {
        ...InvoiceProblem
      }
    }
  }
`);

const Submit = graphql(`
  mutation SubmitInvoice($input: SubmitInvoiceInput!) {
    submitInvoice(input: $input) {
      invoice {
        id
        number
        status
      }
      userErrors {
        ...InvoiceProblem
      }
    }
  }
`);

const ACCEPTED = /\.(xml|pdf)$/i;

function addressingInput(a: Addressing) {
  return {
    recipientIdentifier: a.recipient?.identifier ?? null,
    serviceCode: a.serviceCode || null,
    engagementNumber: a.engagementNumber.trim() || null,
  };
}

export function Deposit() {
  const { t } = useTranslation();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [wrongType, setWrongType] = useState<string | null>(null);
  const [addressing, setAddressing] = useState<Addressing>(NO_ADDRESSING);
  const [dragging, setDragging] = useState(false);
  const [preview, setPreview] = useState<PreviewInvoiceMutation["previewInvoice"] | null>(null);
  const [done, setDone] = useState<SubmitInvoiceMutation["submitInvoice"] | null>(null);
  const [lost, setLost] = useState<string | null>(null);
  const [previewState, runPreview] = useMutation(Preview);
  const [submitState, runSubmit] = useMutation(Submit);
  const attempt = useRef<Attempt | null>(null);
  const asked = useRef(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const recipientKey = addressing.recipient?.identifier ?? "";

  // The preview answers for this file so addressed: a change of either asks again; a late answer to an
  // older question is dropped.
  useEffect(() => {
    if (!file) return;
    const question = ++asked.current;
    setPreview(null);
    setDone(null);
    const timer = window.setTimeout(() => {
      void runPreview({ input: { document: file, ...addressingInput(addressing) } }).then((result) => {
        if (question === asked.current && result.data) setPreview(result.data.previewInvoice);
      });
    }, 250);
    return () => window.clearTimeout(timer);
  }, [file, recipientKey, addressing.serviceCode, addressing.engagementNumber, runPreview]);

  const take = (chosen: File | undefined) => {
    if (!chosen) return;
    if (!ACCEPTED.test(chosen.name)) {
      setWrongType(chosen.name);
      setFile(null);
      setPreview(null);
      return;
    }
    setWrongType(null);
    setLost(null);
    setFile(chosen);
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    take(event.dataTransfer.files[0]);
  };

  const submit = async () => {
    if (!file) return;
    const input = { document: file, ...addressingInput(addressing) };
    const fingerprint = JSON.stringify([file.name, file.size, file.lastModified, addressingInput(addressing)]);
    attempt.current = keyFor(attempt.current, fingerprint);
    setLost(null);
    const result = await runSubmit({ input }, withKey(attempt.current.key));
    if (!result.data) {
      setLost(result.error?.message ?? "");
      return; // the same attempt, the same key, when the clerk tries again
    }
    attempt.current = null;
    setDone(result.data.submitInvoice);
  };

  const reset = () => {
    setFile(null);
    setPreview(null);
    setDone(null);
    setLost(null);
    setAddressing(NO_ADDRESSING);
    if (inputRef.current) inputRef.current.value = "";
  };

  const deposited = done?.invoice ?? null;
  const problems = done && !done.invoice ? done.userErrors : (preview?.userErrors ?? []);

  return (
    <section aria-labelledby="deposit-title" className="deposit">
      <div className="list-head">
        <h1 id="deposit-title">{t("deposit.file.title")}</h1>
        <Link to="/deposer/saisie">{t("deposit.file.typedIn")}</Link>
      </div>
      <p className="muted">{t("deposit.file.intro")}</p>

      {deposited ? (
        <div className="outcome ok" role="status">
          <p>{t("deposit.file.deposited", { number: deposited.number, status: t(`status.${deposited.status}`) })}</p>
          <p>
            <Link to={`/factures/${encodeURIComponent(deposited.id)}`}>{t("deposit.file.open", { number: deposited.number })}</Link>
          </p>
          <button type="button" onClick={reset}>
            {t("deposit.file.another")}
          </button>
        </div>
      ) : (
        <>
          <div
            className={`dropzone${dragging ? " dragging" : ""}`}
            data-testid="dropzone"
            onDragOver={(event) => {
              event.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          >
            <p>{t("deposit.file.drop")}</p>
            <input
              ref={inputRef}
              id={`${id}-file`}
              className="file-input"
              type="file"
              accept=".xml,.pdf,application/xml,text/xml,application/pdf"
              onChange={(event) => take(event.target.files?.[0])}
            />
            {/* The input itself takes the focus (keyboard, screen readers); the label is what is seen. */}
            <label htmlFor={`${id}-file`} className="file-button">
              {t("deposit.file.choose")}
            </label>
            {file && (
              <p className="file-name" data-testid="file-name">
                {t("deposit.file.chosen", { name: file.name })}
              </p>
            )}
          </div>
          {wrongType && (
            <p role="alert" className="field-error">
              {t("deposit.file.wrongType", { name: wrongType })}
            </p>
          )}

          <h2>{t("deposit.file.addressing")}</h2>
          <p className="muted small">{t("deposit.file.addressingHint")}</p>
          <RecipientPicker value={addressing} onChange={setAddressing} />

          <div aria-live="polite" className="report" data-testid="preview">
            {file && (previewState.fetching || (!preview && !previewState.error)) && (
              <p role="status">{t("deposit.file.checking")}</p>
            )}
            {previewState.error && !preview && (
              <p role="alert">{t("deposit.common.error", { message: previewState.error.message })}</p>
            )}
            {preview?.accepted && !done && (
              <div className="outcome ok">
                <p>
                  {t("deposit.file.accepted", {
                    number: preview.number ?? "",
                    recipient:
                      addressing.recipient?.identifier === preview.recipientIdentifier
                        ? `${addressing.recipient.name} (${addressing.recipient.identifier})`
                        : (preview.recipientIdentifier ?? ""),
                  })}{" "}
                  {preview.serviceCode && t("deposit.file.acceptedService", { service: preview.serviceCode })}
                </p>
              </div>
            )}
          </div>
          {problems.length > 0 && (
            <div className="outcome bad" role="alert">
              <p>
                <strong>
                  {t(done ? "deposit.form.refused" : "deposit.file.refused", { count: problems.length })}
                </strong>
              </p>
              <ProblemList problems={problems} />
            </div>
          )}
          {lost !== null && (
            <p role="alert" className="field-error">
              {t("deposit.file.retry")} {lost}
            </p>
          )}
          <p>
            <button
              type="button"
              className="primary"
              disabled={!preview?.accepted || submitState.fetching}
              onClick={() => void submit()}
            >
              {submitState.fetching ? t("deposit.file.submitting") : t("deposit.file.submit")}
            </button>
          </p>
        </>
      )}
    </section>
  );
}
