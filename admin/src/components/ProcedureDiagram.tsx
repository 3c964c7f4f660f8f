/** The procedure of a list type drawn as a plain SVG state diagram (no graph library). */
import { Flex, Space, theme, Typography } from 'antd';
import { useId, useMemo } from 'react';
import { useI18n } from '../i18n/I18nContext';
import type { MetaProcedure } from '../meta/types';
import { LABEL_LINE, layoutProcedure, NODE_H, NODE_W, textWidth } from './procedureLayout';

function truncate(label: string, max: number): string {
  if (textWidth(label, 13) <= max) return label;
  let out = '';
  for (const ch of label) {
    if (textWidth(`${out}${ch}…`, 13) > max) break;
    out += ch;
  }
  return `${out}…`;
}

export function ProcedureDiagram({ procedure }: { procedure: MetaProcedure }) {
  const { token } = theme.useToken();
  const { locale, t } = useI18n();
  const markerId = useId().replace(/:/g, '');
  const layout = useMemo(() => layoutProcedure(procedure, locale), [procedure, locale]);

  const fillOf = (n: { public: boolean; terminal: boolean; initial: boolean }) =>
    n.public ? token.colorSuccessBg : n.terminal ? token.colorFillSecondary : n.initial ? token.colorPrimaryBg : token.colorBgContainer;
  const strokeOf = (n: { public: boolean; terminal: boolean; initial: boolean; unreachable: boolean }) =>
    n.unreachable
      ? token.colorError
      : n.public
        ? token.colorSuccess
        : n.initial
          ? token.colorPrimary
          : n.terminal
            ? token.colorTextTertiary
            : token.colorBorder;

  const legend = [
    { key: 'initial', label: t('config.procedure.initial'), fill: token.colorPrimaryBg, stroke: token.colorPrimary },
    { key: 'public', label: t('config.procedure.public'), fill: token.colorSuccessBg, stroke: token.colorSuccess },
    { key: 'terminal', label: t('config.procedure.terminal'), fill: token.colorFillSecondary, stroke: token.colorTextTertiary },
  ];

  return (
    <Flex vertical gap={8}>
      <div style={{ overflowX: 'auto', border: `1px solid ${token.colorBorderSecondary}`, borderRadius: token.borderRadius }}>
        <svg
          role="img"
          aria-label={t('config.procedure.diagram')}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          // Shrinks to the available width, down to 70 % of its natural size; then it scrolls.
          style={{
            display: 'block',
            width: '100%',
            maxWidth: layout.width,
            minWidth: Math.round(layout.width * 0.7),
            height: 'auto',
            fontFamily: token.fontFamily,
          }}
          data-testid="procedure-diagram"
        >
          <defs>
            <marker id={markerId} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill={token.colorTextSecondary} />
            </marker>
          </defs>
          {layout.edges.map((e) => (
            <path
              key={`${e.from}-${e.to}`}
              d={e.path}
              fill="none"
              stroke={e.direction === 'backward' ? token.colorWarning : token.colorTextTertiary}
              strokeWidth={1.3}
              strokeDasharray={e.direction === 'backward' ? '4 3' : undefined}
              markerEnd={`url(#${markerId})`}
            >
              <title>{`${e.from} → ${e.to}: ${e.actions.join(', ')}`}</title>
            </path>
          ))}
          {layout.nodes.map((n) => (
            <g key={n.id} transform={`translate(${n.x}, ${n.y})`}>
              <title>{`${n.id}${n.unreachable ? ' (unreachable)' : ''}`}</title>
              <rect
                width={NODE_W}
                height={NODE_H}
                rx={n.terminal ? 4 : NODE_H / 2}
                fill={fillOf(n)}
                stroke={strokeOf(n)}
                strokeWidth={n.initial ? 2 : 1.2}
                strokeDasharray={n.unreachable ? '4 3' : undefined}
              />
              {n.terminal ? (
                <rect x={3} y={3} width={NODE_W - 6} height={NODE_H - 6} rx={3} fill="none" stroke={strokeOf(n)} strokeWidth={0.8} />
              ) : null}
              <text x={NODE_W / 2} y={NODE_H / 2} dominantBaseline="central" textAnchor="middle" fontSize={13} fill={token.colorText}>
                {truncate(n.label, NODE_W - 16)}
              </text>
            </g>
          ))}
          {layout.edges.map((e) => {
            const lineHeight = LABEL_LINE;
            const w = e.labelW;
            const h = e.labelH;
            return (
              <g key={`label-${e.from}-${e.to}`} transform={`translate(${e.labelX}, ${e.labelY})`}>
                <rect x={-w / 2} y={-h / 2} width={w} height={h} rx={3} fill={token.colorBgContainer} opacity={0.92} />
                {e.lines.map((line, i) => (
                  <text
                    key={line}
                    y={-h / 2 + lineHeight * i + lineHeight / 2}
                    textAnchor="middle"
                    dominantBaseline="central"
                    fontSize={12}
                    fill={e.direction === 'backward' ? token.colorWarningText : token.colorTextSecondary}
                  >
                    {line}
                  </text>
                ))}
              </g>
            );
          })}
        </svg>
      </div>
      <Space size="middle" wrap>
        {legend.map((item) => (
          <Space key={item.key} size={4}>
            <span
              style={{
                display: 'inline-block',
                width: 14,
                height: 14,
                borderRadius: 7,
                background: item.fill,
                border: `1px solid ${item.stroke}`,
              }}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {item.label}
            </Typography.Text>
          </Space>
        ))}
      </Space>
    </Flex>
  );
}
