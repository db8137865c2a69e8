import { Text } from '@fluentui/react-components';
import { useT } from '../i18n/react.ts';
import { OfficeErrorCodes } from '../office/host.ts';
import { useLayoutStyles } from './styles.ts';
import { useDocumentTitle } from './useDocumentTitle.ts';
import { ViewHeading } from './ViewHeading.tsx';

/** Office is missing or we are not inside Outlook. */
export function HostProblem({ code }: { code: number }) {
  useDocumentTitle('host.title');
  const t = useT();
  const layout = useLayoutStyles();
  const notLoaded = code === OfficeErrorCodes.notLoaded;
  return (
    <section className={layout.view} aria-labelledby="host-heading">
      <ViewHeading id="host-heading">{t('host.heading')}</ViewHeading>
      <Text as="p" role="alert">
        {notLoaded ? t('host.notLoaded') : t('host.notInOutlook')}
      </Text>
      <Text as="p">{t('host.next')}</Text>
    </section>
  );
}
